// The "Alerts on this device" page: a real button press asks the browser's permission,
// subscribes with the hub's key, and hands the subscription to the app server with this
// browser's device key (which the service worker also keeps, to register a renewed
// subscription on its own). Then back to the app.
"use strict";

const DEVICE_KEY = "flutter.careline.device";
const page = JSON.parse(document.getElementById("careline-words").textContent);
const state = document.getElementById("state");
const turnOn = document.getElementById("turn-on");
const turnOff = document.getElementById("turn-off");

function deviceKey() {
  try {
    return JSON.parse(localStorage.getItem(DEVICE_KEY) || "null");
  } catch (error) {
    return null;
  }
}

function say(word, reason) {
  state.textContent = page.words[word].replace("{reason}", reason || "");
}

function show(on) {
  say(on ? "on" : "off");
  turnOn.hidden = on;
  turnOff.hidden = !on;
}

async function serverSays() {
  const answer = await fetch("/careline/push", { headers: { "x-careline-device": deviceKey() || "" } });
  return answer.ok ? (await answer.json()).on : false;
}

async function detail(answer) {
  try {
    return (await answer.json()).detail || answer.statusText;
  } catch (error) {
    return answer.statusText;
  }
}

async function on() {
  turnOn.disabled = true;
  say("working");
  try {
    if ((await Notification.requestPermission()) !== "granted") {
      say("blocked");
      return;
    }
    if (!(await navigator.serviceWorker.getRegistration())) {
      await navigator.serviceWorker.register("/flutter_service_worker.js");
    }
    const registration = await navigator.serviceWorker.ready;
    const found = await fetch("/careline/push-key");
    if (!found.ok) throw new Error(await detail(found));
    const { public_key: publicKey } = await found.json();
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: careline.decodeKey(publicKey),
    });
    const key = deviceKey();
    await careline.keepDeviceKey(key);
    const sent = await fetch("/careline/push", {
      method: "POST",
      headers: { "content-type": "application/json", "x-careline-device": key || "" },
      body: JSON.stringify(subscription.toJSON()),
    });
    if (!sent.ok) throw new Error(await detail(sent));
    show(true);
    setTimeout(() => location.replace(page.back), 1500);
  } catch (error) {
    say("failed", error.message || String(error));
  } finally {
    turnOn.disabled = false;
  }
}

async function off() {
  turnOff.disabled = true;
  say("working");
  try {
    const gone = await fetch("/careline/push", {
      method: "DELETE",
      headers: { "x-careline-device": deviceKey() || "" },
    });
    if (!gone.ok) throw new Error(await detail(gone));
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) await subscription.unsubscribe();
    show(false);
  } catch (error) {
    say("failed", error.message || String(error));
  } finally {
    turnOff.disabled = false;
  }
}

async function start() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  if (Notification.permission === "denied") {
    say("blocked");
    return;
  }
  turnOn.addEventListener("click", on);
  turnOff.addEventListener("click", off);
  show(await serverSays());
}

start();
