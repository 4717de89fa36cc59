// Careline's service worker, in place of Flutter's own (which unregisters itself on
// activation, and with it any alert subscription).
// - Offline: a page the app cannot load is answered with careline/offline.html, which
//   shows the copy careline/page.js keeps: the last status and the articles read.
// - Alerts: a push becomes a notification (one per incident, case or callback: a newer
//   update replaces an older one); a click opens or focuses the app at what it is about;
//   a subscription the browser renews is registered again.
"use strict";

importScripts("careline/device-key.js");

const SHELL_CACHE = "careline-shell-v1";
const OFFLINE_CACHE = "careline-offline";
const SHELL = [
  "careline/offline.html",
  "careline/offline.js",
  "careline/offline.css",
  "icons/icon-192.png",
  "favicon.png",
];
const LONGEST_TITLE = 120;
const LONGEST_BODY = 240;

function local(path) {
  return new URL(path, self.registration.scope).href;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL.map(local)))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith("careline-shell-") && n !== SHELL_CACHE)
          .map((n) => caches.delete(n))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) {
    return;
  }
  if (request.mode === "navigate") {
    // Never the browser's cached copy of the app's page: without the server it would only
    // show a splash screen. (A navigation request cannot be sent again with options.)
    event.respondWith(
      fetch(request.url, { cache: "no-store", credentials: "same-origin" })
        .catch(() => caches.match(local("careline/offline.html")))
    );
    return;
  }
  const path = new URL(request.url).pathname;
  if (path.endsWith("/careline/offline.json")) {
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(OFFLINE_CACHE).then((cache) => cache.match(local("careline/offline.json")))
          .then((kept) => kept || new Response("{}", { status: 503 }))
      )
    );
    return;
  }
  if (SHELL.some((file) => request.url === local(file))) {
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});

// One clean line of at most `limit` characters (a notification is no place for layout).
function line(text, limit) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  return flat.length > limit ? flat.slice(0, limit - 1).trimEnd() + "\u2026" : flat;
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  if (typeof data !== "object" || data === null) {
    data = { body: String(data ?? "") };
  }
  const route = typeof data.route === "string" && data.route.startsWith("/") ? data.route : "/status";
  const title = line(data.title, LONGEST_TITLE) || "Careline";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: line(data.body, LONGEST_BODY),
      tag: `${data.kind || "update"}-${data.id || route}`,
      renotify: true,
      icon: local("icons/icon-192.png"),
      badge: local("icons/icon-maskable-192.png"),
      data: { route },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = local(String(event.notification.data && event.notification.data.route || "/status").replace(/^\//, ""));
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of open) {
      if (client.url.startsWith(self.registration.scope) && "navigate" in client) {
        // A window already open shows it (bringing it forward where the browser lets us).
        await client.focus().catch(() => undefined);
        const shown = await client.navigate(target).catch(() => null);
        if (shown) return shown;
      }
    }
    return self.clients.openWindow(target);
  })());
});

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil((async () => {
    const key = await careline.deviceKey();
    const found = await fetch(local("careline/push-key"));
    const { public_key: publicKey } = await found.json();
    const subscription = event.newSubscription || await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: careline.decodeKey(publicKey),
    });
    await fetch(local("careline/push"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-careline-device": key || "" },
      body: JSON.stringify(subscription.toJSON()),  // as the alerts page sends it
    });
  })());
});
