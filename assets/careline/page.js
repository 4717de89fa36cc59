// Careline's part of the app page (the app itself is Flutter, driven by the server):
// - registers the service worker (flutter_service_worker.js is ours: it keeps the offline
//   page and shows alerts while the app is closed);
// - keeps the offline copy fresh: the last status and the help articles this browser read,
//   fetched with this browser's device key and kept in the browser's cache;
// - tells the server the browser's time zone, which Flet's client does not send: written
//   where Flet's client storage keeps values (JSON under "flutter."), read by the server
//   when the app starts (app/views/web/server.py).
"use strict";

const BROWSER_ZONE = "flutter.careline.zone";

try {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) {
    localStorage.setItem(BROWSER_ZONE, JSON.stringify(zone));
  }
} catch (error) {
  // No Intl or no storage: the server shows times in its own zone.
}

const DEVICE_KEY = "flutter.careline.device";
const OFFLINE_CACHE = "careline-offline";
const OFFLINE_COPY = "careline/offline.json";
const EVERY_MS = 60 * 1000;

function deviceKey() {
  try {
    return JSON.parse(localStorage.getItem(DEVICE_KEY) || "null");
  } catch (error) {
    return null;
  }
}

let asked = 0; // the latest request: an older answer arriving late is not kept

async function keepOfflineCopy() {
  const key = deviceKey();
  const mine = ++asked;
  try {
    const response = await fetch(OFFLINE_COPY, {
      cache: "no-store",
      headers: key ? { "X-Careline-Device": key } : {},
    });
    if (response.ok && mine === asked) {
      const cache = await caches.open(OFFLINE_CACHE);
      await cache.put(new URL(OFFLINE_COPY, document.baseURI).href, response);
    }
  } catch (error) {
    // Offline or the server restarting: the copy kept last time stays.
  }
}

if ("serviceWorker" in navigator) {
  // Flutter's loader registers the same script again (with its version) once one exists.
  navigator.serviceWorker.getRegistration().then((found) => {
    if (!found) {
      navigator.serviceWorker.register("flutter_service_worker.js");
    }
  });
}
if ("caches" in window) {
  keepOfflineCopy();
  setTimeout(keepOfflineCopy, 5000); // a first visit has its device key by then
  setInterval(keepOfflineCopy, EVERY_MS);
}
