// What the service worker and Careline's own pages share: this browser's device key, kept
// in IndexedDB (a service worker cannot read localStorage, where the app keeps it), and
// the decoding of the hub's public key for a push subscription.
"use strict";

self.careline = self.careline || {};

(function (careline) {
  const DATABASE = "careline";
  const STORE = "device";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const request = work(db.transaction(STORE, mode).objectStore(STORE));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  }

  careline.deviceKey = () => run("readonly", (store) => store.get("key"));
  careline.keepDeviceKey = (key) => run("readwrite", (store) => store.put(key, "key"));

  careline.decodeKey = (text) => {
    const base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
})(self.careline);
