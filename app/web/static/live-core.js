// Shared live plumbing for the participant and organiser pages: a websocket that reconnects with
// jittered exponential backoff, drops stale pushes by version, and counts down from server time.
"use strict";

(function () {
  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] !== undefined ? values[key] : "";
    });
  }

  function mmss(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var m = Math.floor(s / 60);
    var rest = s % 60;
    return m + ":" + (rest < 10 ? "0" : "") + rest;
  }

  // Close codes that refuse for good (ws.py: 44xx like HTTP 4xx, 1008 a malformed message):
  // trying again would be refused again, so the page stops and says why.
  function refusedForGood(code) {
    return code === 1008 || (code >= 4400 && code < 4500);
  }

  // A websocket client that always converges on the server's current state.
  function LiveSocket(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.version = -1;
    this.attempt = 0; // connections in a row that closed before the server's first message
    // Heard the server since the page loaded: failures after that are an outage or a lost
    // network, not a network that blocks websockets.
    this.everConnected = false;
    this.connectedNow = false;
    this.lostAt = null; // when the last connection was lost (Date.now()); null while connected
    this.refused = false;
    this.ws = null;
    this.timer = null;
    this.heartbeat = null;
    this.lastSeen = 0;
    this.offsetMs = 0; // server clock minus browser clock
    var self = this;
    window.addEventListener("offline", function () { if (!self.refused) self.drop("offline"); });
    window.addEventListener("online", function () {
      // Back on a network, maybe another one: the time without a connection counts afresh.
      if (self.lostAt !== null) self.lostAt = Date.now();
      self.connectSoon(0);
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && (!self.ws || self.ws.readyState > 1)) self.connectSoon(0);
    });
  }

  // `info` carries the close code of a refusal, how many tries failed in a row, whether the
  // page was ever connected and, once it was, for how long it has been without a connection
  // (`lostForMs`, null while connected or never connected); a connection resets it.
  LiveSocket.prototype.status = function (state, info) {
    var details = info || { failures: this.attempt };
    if (state === "connected") {
      this.connectedNow = true;
      this.lostAt = null;
    } else if (this.connectedNow) {
      this.connectedNow = false;
      this.lostAt = Date.now();
    }
    details.wasConnected = this.everConnected;
    details.lostForMs = this.lostAt === null ? null : Date.now() - this.lostAt;
    if (this.handlers.status) this.handlers.status(state, details);
  };

  LiveSocket.prototype.connect = function () {
    var self = this;
    clearTimeout(this.timer);
    if (this.refused || (this.ws && this.ws.readyState <= 1)) return;
    this.status("connecting");
    var ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    var heard = false;
    ws.onopen = function () {
      self.lastSeen = Date.now();
      ws.send(JSON.stringify({ type: "hello", last_version: Math.max(0, self.version) }));
      clearInterval(self.heartbeat);
      self.heartbeat = setInterval(function () { self.beat(); }, 15000);
    };
    ws.onmessage = function (event) {
      self.lastSeen = Date.now();
      if (!heard) {
        // Connected only once the server speaks: a proxy that accepts the upgrade and then
        // drops it counts as a failed try, so backoff and the "no live updates" notice apply.
        heard = true;
        self.attempt = 0;
        self.everConnected = true;
        self.status("connected");
      }
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.server_time) self.offsetMs = Date.parse(msg.server_time) - Date.now();
      // A push older than what we already show is dropped; a state snapshot at the same
      // version is applied again (it is idempotent).
      if (typeof msg.version === "number") {
        if (msg.version < self.version) return;
        if (msg.version > self.version) self.version = msg.version;
      }
      self.handlers.message(msg);
    };
    ws.onclose = function (event) {
      clearInterval(self.heartbeat);
      if (self.ws !== ws) return;
      self.ws = null;
      if (refusedForGood(event.code)) {
        self.refused = true;
        clearTimeout(self.timer);
        self.status("refused", { code: event.code, failures: self.attempt });
        return;
      }
      self.scheduleReconnect();
    };
    ws.onerror = function () { /* onclose follows and reconnects */ };
  };

  LiveSocket.prototype.beat = function () {
    if (!this.ws || this.ws.readyState !== 1) return;
    if (Date.now() - this.lastSeen > 40000) {
      this.drop("stale");
      this.connectSoon(0);
      return;
    }
    try { this.ws.send(JSON.stringify({ type: "ping" })); } catch (e) { /* closing */ }
  };

  LiveSocket.prototype.drop = function (why) {
    clearInterval(this.heartbeat);
    var ws = this.ws;
    this.ws = null;
    if (ws) { try { ws.close(); } catch (e) { /* already closed */ } }
    this.status(why === "offline" ? "offline" : "connecting");
    if (why !== "offline") this.scheduleReconnect();
  };

  LiveSocket.prototype.connectSoon = function (delayMs) {
    var self = this;
    if (this.refused) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.connect(); }, delayMs);
  };

  // Full jitter between half and all of an exponentially growing delay, capped at 15 s, so
  // that hundreds of participants do not all reconnect in the same instant after a restart.
  LiveSocket.prototype.scheduleReconnect = function () {
    var ceiling = Math.min(15000, 500 * Math.pow(2, this.attempt));
    this.attempt += 1;
    this.status(navigator.onLine === false ? "offline" : "connecting");
    this.connectSoon(ceiling / 2 + Math.random() * ceiling / 2);
  };

  LiveSocket.prototype.serverNow = function () {
    return Date.now() + this.offsetMs;
  };

  function readConfig(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function wsUrl(path) {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + location.host + path;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function countryName(code, lang) {
    try {
      return new Intl.DisplayNames([lang], { type: "region" }).of(code) || code;
    } catch (e) {
      return code;
    }
  }

  // Resolves "ok" once the box shows the fresh fragment, "redirected" when the answer was a
  // redirect (signed out: the server sends the sign-in page, which is no fragment and must not
  // land inside the box), "failed" otherwise; the box keeps what it showed unless "ok".
  function refreshFragment(url, targetId) {
    var target = document.getElementById(targetId);
    if (!target || !url) return Promise.resolve("failed");
    var outcome = "failed";
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected) outcome = "redirected";
        return response.ok && !response.redirected ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return outcome;
        // Keep keyboard focus where it was when the focused control survives the refresh.
        var focusedId = document.activeElement && target.contains(document.activeElement)
          ? document.activeElement.id : null;
        target.innerHTML = html;
        if (window.speedmatch && window.speedmatch.localise) window.speedmatch.localise(target);
        if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
        return "ok";
      })
      .catch(function () { return "failed"; /* next change refreshes again */ });
  }

  window.speedmatchLive = {
    LiveSocket: LiveSocket,
    format: format,
    mmss: mmss,
    readConfig: readConfig,
    wsUrl: wsUrl,
    el: el,
    countryName: countryName,
    refreshFragment: refreshFragment,
  };
})();
