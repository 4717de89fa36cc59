// The offline page: what the browser kept (careline/page.js) shown as plain text, never as
// markup; and a look for the app server every few seconds, to go back as soon as it answers.
"use strict";

const COPY = "/careline/offline.json";
const LOOK_EVERY_MS = 5000;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Markdown as readable text: marks for emphasis, headings and lists dropped.
function plain(markdown) {
  return String(markdown || "")
    .replace(/\*\*|__|`/g, "")
    .replace(/^#+\s*/gm, "")
    .replace(/^\s*[-*]\s+/gm, "\u2022 ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
}

function when(iso, locale) {
  if (!iso) return "";
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" })
      .format(new Date(iso));
  } catch (error) {
    return iso;
  }
}

function show(copy) {
  if (!copy.words) return; // nothing kept yet: the page's own words stay
  const words = copy.words;
  const locale = copy.locale || "en";
  document.documentElement.lang = locale;
  document.title = copy.company ? `${copy.company} \u2013 ${words.title}` : words.title;
  document.getElementById("title").textContent = words.title;
  document.getElementById("note").textContent = words.note;
  document.getElementById("retry").textContent = words.retry;
  document.getElementById("updated").textContent =
    copy.synced_at ? `${words.updated}: ${when(copy.synced_at, locale)}` : "";
  document.getElementById("disruptions-title").textContent = words.disruptions;
  const incidents = document.getElementById("incidents");
  for (const incident of copy.incidents || []) {
    const item = element("li");
    item.append(element("strong", incident.title));
    item.append(element("div", `${incident.impact_text} \u00b7 ${incident.stage}`,
      `impact ${incident.impact}`));
    item.append(element("p", plain(incident.latest)));
    item.append(element("div", when(incident.updated_at, locale), "muted"));
    incidents.append(item);
  }
  if (!(copy.incidents || []).length) {
    incidents.append(element("li", words.no_disruptions));
  }
  if ((copy.services || []).length) {
    document.getElementById("services-section").hidden = false;
    document.getElementById("services-title").textContent = words.services;
    const services = document.getElementById("services");
    for (const service of copy.services) {
      services.append(element("li", `${service.name}: ${service.state}`));
    }
  }
  document.getElementById("articles-title").textContent = words.articles;
  const articles = document.getElementById("articles");
  for (const article of copy.articles || []) {
    const node = element("article");
    node.append(element("h3", article.title));
    for (const paragraph of plain(article.body).split(/\n\s*\n/)) {
      node.append(element("p", paragraph.trim()));
    }
    articles.append(node);
  }
  if (!(copy.articles || []).length) {
    articles.append(element("p", words.no_articles, "muted"));
  }
}

async function backOnline() {
  try {
    const answer = await fetch("/manifest.json", { cache: "no-store" });
    if (answer.ok) location.reload();
  } catch (error) {
    // Still offline.
  }
}

fetch(COPY).then((answer) => (answer.ok ? answer.json() : {})).then(show, () => show({}));
document.getElementById("retry").addEventListener("click", backOnline);
setInterval(backOnline, LOOK_EVERY_MS);
