// The participant's live page: current room card, countdown, between-round waiting, broadcasts.
// Screen readers hear ONE announcement per round change (never the countdown ticking).
"use strict";

(function () {
  var L = window.speedmatchLive;
  var cfg = L.readConfig("sm-live");
  if (!cfg) return;
  var t = cfg.t;
  var view = {
    phase: cfg.phase || "draft",
    current: 0,
    total: cfg.roundsTotal || 0,
    round: null,
    room: null,
    why: "",
    whyFacts: null, // what `why` tells, as facts the page words (app/web/why.py)
    nextAt: null,
    held: null, // seconds of break left while the organiser holds the break (auto-advance)
    metKey: null,
    notice: null, // { round, text }: why the room changed after the plan was made
  };
  // Tries in a row that failed, never connected since the page loaded: websockets are likely
  // blocked. A page that was connected is in an outage instead (a server restart: seconds), but
  // only for so long: then it may have moved to a network that blocks websockets. The server
  // sets how long (`reconnectingForMs`); a minute is some 8 to 12 tries with live-core.js's
  // backoff, long past a restart. It keeps trying either way.
  var UNAVAILABLE_AFTER = 3;
  var RECONNECTING_FOR_MS =
    typeof cfg.reconnectingForMs === "number" ? cfg.reconnectingForMs : 60000;
  var lastAnnounced = null;
  // Messages already shown, by round and text: a snapshot repeats them, it is not news. The
  // same text sent in a later round is a new message (told apart from the earlier one).
  var heardBroadcasts = {};
  // What this tab announced survives a reload (switching the language reloads the page): a
  // round that started minutes ago is not news again.
  var MEMORY = "sm-announced:" + cfg.me;
  var memory = recall();
  if (memory.round) lastAnnounced = memory.round;
  (memory.broadcasts || []).forEach(function (text) { heardBroadcasts[text] = true; });
  var pending = []; // texts to read out together
  var MAX_BROADCASTS = 5; // as many as a `state` carries (app/live/event_view.py)
  var shown = []; // the texts of this round's messages on screen, oldest first
  var synced = false;
  var lastClock = null; // "round|running" or "round|paused": a change within a round is said
  var decisions = window.speedmatchDecisions; // participant-decisions.js: the "did you meet?" forms
  var area = document.getElementById("round-area");
  var countdown = null;

  // The server sends the planner's English "why" with the facts it tells: worded here in the
  // reader's language from the page's texts, as app/web/why.py words the server-rendered card.
  var MOVED = "Moved by the organiser.";
  // Every `key` in `template` (as Python's str.replace: no "$&" patterns in tags and names).
  function fill(template, key, value) {
    return String(template).split(key).join(String(value));
  }

  function whyText(why, f) {
    var w = cfg.why || {};
    if (why === MOVED && w.moved) return w.moved;
    if (!f || !w.sectors) return why;
    if (!f.mates) return w.alone;
    var parts = [];
    if (f.same_sector) {
      var kind = w.sectors[f.sector] || w.sectors.specialised;
      var text = f.same_sector === f.mates ? (f.mates === 1 ? kind.both : kind.all) : kind.some;
      parts.push(fill(fill(text, "{n}", f.same_sector), "{total}", f.mates));
    }
    if (f.interests.length) parts.push(fill(w.shared, "{list}", f.interests.join(", ")));
    if (f.programmes.length) parts.push(fill(w.programmes, "{list}", f.programmes.join(", ")));
    if (f.asked.length) parts.push(fill(w.asked, "{names}", f.asked.join(", ")));
    if (f.asked_by.length === 1) parts.push(fill(w.asked_by_one, "{name}", f.asked_by[0]));
    else if (f.asked_by.length) parts.push(fill(w.asked_by, "{names}", f.asked_by.join(", ")));
    if (f.new_countries.length) {
      // A country new to the event since the page loaded (a walk-in): the browser's name.
      var countries = f.new_countries.map(function (c) { return w.countries[c] || L.countryName(c, cfg.lang); });
      parts.push(fill(w.new_countries, "{countries}", countries.join(", ")));
    }
    if (!parts.length && f.common_languages.length) {
      var langs = f.common_languages.map(function (c) { return w.languages[c] || c; });
      parts.push(fill(w.languages, "{list}", langs.join(", ")));
    }
    return parts.length ? parts.join("; ") : w.nothing;
  }

  function names(room) {
    if (!room) return "";
    return room.members
      .filter(function (m) { return m.id !== cfg.me; })
      .map(function (m) { return m.name; })
      .join(", ");
  }

  function mateLine(member) {
    var parts = [member.school, L.countryName(member.country, cfg.lang), t.sectors[member.sector] || member.sector];
    var line = parts.filter(Boolean).join(", ");
    if (member.shared_interests && member.shared_interests.length) {
      line += "; " + L.format(t.shared, { list: member.shared_interests.join(", ") });
    }
    return line;
  }

  function roundTitle(n) {
    return L.format(t.round_of, { n: n, total: view.total });
  }

  function recall() {
    try { return JSON.parse(sessionStorage.getItem(MEMORY) || "{}") || {}; } catch (e) { return {}; }
  }

  function remember() {
    var texts = Object.keys(heardBroadcasts).filter(function (k) { return heardBroadcasts[k]; });
    var data = { round: lastAnnounced, broadcasts: texts.slice(-20) };
    try { sessionStorage.setItem(MEMORY, JSON.stringify(data)); } catch (e) { /* storage off */ }
  }

  // News arriving together (a snapshot after a reconnect: new round and a message) is read as
  // one text: a second text set right after the first replaces it before it is read out.
  function announce(text, first) {
    var region = document.getElementById("live-announce");
    if (!region) return;
    if (!pending.length) {
      // Clearing first makes assistive technology read a repeated text again.
      region.textContent = "";
      setTimeout(function () { region.textContent = pending.join(" "); pending = []; }, 50);
    }
    if (first) pending.unshift(text);
    else pending.push(text);
  }

  function stateKey() {
    var status = view.round ? view.round.status : "none";
    if (status === "paused") status = "running";
    var roomNo = view.room ? view.room.number : 0;
    return [view.phase, view.current, status, roomNo].join("|");
  }

  function renderRunning() {
    var nodes = [];
    nodes.push(L.el("h2", { id: "round-title", text: roundTitle(view.current) }));
    if (!view.room) {
      // After the last round there is no "next round" to promise.
      nodes.push(L.el("p", { "class": "notice warn", text: view.current >= view.total ? t.sitting_out_last : t.sitting_out }));
    } else {
      var mates = view.room.members.filter(function (m) { return m.id !== cfg.me; });
      var list = L.el("ul", { "class": "mates" }, mates.map(function (m) {
        return L.el("li", { "data-member": m.id }, [
          L.el("span", { "class": "mate-name", text: m.name }),
          L.el("br"),
          L.el("span", { text: mateLine(m) }),
        ]);
      }));
      var card = L.el("div", { "class": "room-card", id: "room-card" }, [
        // Alone after an organiser's move: say so rather than "You meet" nobody.
        L.el("p", { "class": "room-lead", text: mates.length ? L.format(t.you_meet, { names: names(view.room) }) : t.alone }),
        list,
        view.why ? L.el("p", { "class": "why" }, [
          L.el("strong", { text: t.why_label + " " }),
          L.el("span", { text: whyText(view.why, view.whyFacts) }),
        ]) : null,
        view.room.link ? L.el("a", {
          "class": "button huge", id: "join-link", href: view.room.link,
          target: "_blank", rel: "noopener noreferrer", text: t.join,
        }) : L.el("p", { text: view.room.name ? L.format(t.room_named, { name: view.room.name }) : L.format(t.room_number, { n: view.room.number }) }),
      ]);
      var notice = noticeText();
      if (notice) nodes.push(L.el("p", { "class": "notice ok", id: "room-notice", text: notice }));
      nodes.push(card);
    }
    var paused = view.round && view.round.status === "paused";
    nodes.push(L.el("p", { "class": "timer-line" }, [
      L.el("span", { text: (paused ? t.paused : t.time_left) + " " }),
      L.el("span", { "class": "countdown", id: "countdown", role: "timer", "aria-live": "off", text: "" }),
    ]));
    return nodes;
  }

  function noticeText() {
    if (!view.notice || view.notice.round !== view.current) return "";
    return (t.notices && t.notices[view.notice.text]) || view.notice.text;
  }

  function renderBetween() {
    var nodes = [];
    if (view.current === 0) {
      nodes.push(L.el("h2", { id: "round-title", text: t.not_started }));
      nodes.push(L.el("p", { text: t.wait_start }));
      return nodes;
    }
    nodes.push(L.el("h2", { id: "round-title", text: L.format(t.round_ended, { n: view.current }) }));
    if (view.current >= view.total) {
      nodes.push(L.el("p", { text: t.last_round_done }));
      return nodes;
    }
    if (view.held !== null) {
      // Held: a countdown to "next round" would reach zero with nothing starting.
      nodes.push(L.el("p", { "class": "timer-line", id: "break-held" }, [
        L.el("span", { text: t.break_held + " " }),
        L.el("span", { "class": "countdown", id: "countdown", role: "timer", "aria-live": "off", text: "" }),
      ]));
      nodes.push(L.el("p", { text: t.break_held_hint }));
    } else if (view.nextAt) {
      nodes.push(L.el("p", { "class": "timer-line" }, [
        L.el("span", { text: t.next_in + " " }),
        L.el("span", { "class": "countdown", id: "countdown", role: "timer", "aria-live": "off", text: "" }),
      ]));
    } else {
      nodes.push(L.el("p", { text: t.wait_next }));
    }
    return nodes;
  }

  function render() {
    var nodes;
    if (view.phase === "finished") {
      nodes = [L.el("h2", { id: "round-title", text: t.finished }), L.el("p", { text: t.finished_hint })];
    } else if (view.round && (view.round.status === "running" || view.round.status === "paused")) {
      nodes = renderRunning();
    } else {
      nodes = renderBetween();
    }
    // Every update rebuilds the card: keep keyboard focus on the control that was focused.
    var focusedId = area.contains(document.activeElement) ? document.activeElement.id : null;
    area.replaceChildren.apply(area, nodes);
    var refocus = focusedId && document.getElementById(focusedId);
    if (refocus) refocus.focus({ preventScroll: true });
    countdown = document.getElementById("countdown");
    tick();
    window.speedmatchPlan.update(view, view.phase === "finished" ? view.current : endedRounds(), socket.serverNow());
    var key = stateKey();
    if (key !== lastAnnounced) {
      if (lastAnnounced !== null || view.current > 0) announce(describe(), true);
      lastAnnounced = key;
      remember();
    }
    // A pause, and its end, are news too: sighted people see "Paused" on the card.
    // So are a hold on the break, and its end.
    var clock = isLive(view.round) ? view.current + "|" + view.round.status
      : view.held !== null ? view.current + "|held" : view.nextAt ? view.current + "|break" : null;
    var within = clock && lastClock && clock !== lastClock && view.current === Number(lastClock.split("|")[0]);
    if (within && isLive(view.round)) {
      announce((view.round.status === "paused" ? t.paused : t.time_left) + " " + countdown.textContent);
    } else if (within && (view.held !== null || lastClock.split("|")[1] === "held")) {
      announce((view.held !== null ? t.break_held : t.next_in) + " " + countdown.textContent);
    }
    lastClock = clock;
    // The server lists everyone met in a round that has started (docs/contacts.md): fetch the
    // decision forms again when another round starts or the event finishes, so the open page
    // shows the new room-mates as a reload would (never over what someone is typing now).
    var met = metKey();
    if (synced && met !== view.metKey) {
      decisions.refresh();
      L.refreshFragment(cfg.fragments.contacts, "contacts-area");
      view.metKey = met;
    }
  }

  function isLive(round) {
    return !!round && (round.status === "running" || round.status === "paused");
  }

  // Matches `metKey` of pages_participant.py: what the server's "People you met" depends on.
  function metKey() {
    return view.phase === "finished" ? "finished" : String(view.current);
  }

  function endedRounds() {
    if (view.phase === "finished") return view.total;
    return view.current - ((view.round && view.round.status !== "ended") ? 1 : 0);
  }

  function describe() {
    if (view.phase === "finished") return t.finished;
    if (view.round && view.round.status !== "ended" && view.round.status !== "planned") {
      if (!view.room) return roundTitle(view.current) + ". " + (view.current >= view.total ? t.sitting_out_last : t.sitting_out);
      var notice = noticeText();
      if (!names(view.room)) return (notice ? notice + " " : "") + roundTitle(view.current) + ". " + t.alone;
      return (notice ? notice + " " : "") +
        L.format(t.announce_round, { round: roundTitle(view.current), names: names(view.room) });
    }
    if (view.current === 0) return t.not_started;
    return L.format(t.round_ended, { n: view.current });
  }

  // Someone was moved in the round on screen: the round did not start again. Say only what
  // changed for this reader (why, if they were the one moved, and whom they meet now), once.
  function roomChanged(notice, metBefore) {
    var now = names(view.room);
    if (notice || now !== metBefore) {
      var said = notice ? ((t.notices && t.notices[notice]) || notice) + " " : "";
      if (!view.room) said += view.current >= view.total ? t.sitting_out_last : t.sitting_out;
      else said += now ? L.format(t.you_meet, { names: now }) + "." : t.alone;
      announce(said);
    }
    lastAnnounced = stateKey(); // what render() would otherwise announce as a round start
    remember();
  }

  function tick() {
    if (!countdown) return;
    var now = socket.serverNow();
    var seconds = null;
    if (view.round && view.round.status === "paused") {
      seconds = view.round.remaining_s;
    } else if (view.round && view.round.status === "running" && view.round.ends_at) {
      seconds = (Date.parse(view.round.ends_at) - now) / 1000;
    } else if (view.held !== null) {
      seconds = view.held;
    } else if (view.nextAt) {
      seconds = (Date.parse(view.nextAt) - now) / 1000;
    }
    countdown.textContent = seconds === null ? "" : L.mmss(seconds);
  }

  function broadcastKey(round, text) {
    return round + "|" + text;
  }

  // Every message of the round shown, oldest first as `state.broadcasts` has them: two sent
  // within a second are both read, not the second in place of the first.
  function showBroadcasts() {
    var box = document.getElementById("broadcast");
    if (!box) return;
    var list = box.querySelector("[data-texts]");
    list.replaceChildren.apply(list, shown.map(function (text) {
      return L.el("li", { "data-text": "", text: text });
    }));
    box.hidden = !shown.length;
  }

  function heardNow(key, text) {
    if (heardBroadcasts[key]) return;
    heardBroadcasts[key] = true;
    remember();
    announce(L.format(t.broadcast, { text: text }));
  }

  // Messages belong to a round (often to one room of it): a new round starts without them.
  function hideBroadcast() {
    shown = [];
    showBroadcasts();
  }

  function apply(msg) {
    switch (msg.type) {
      case "state":
        view.phase = msg.phase;
        view.current = msg.current_round;
        view.total = msg.rounds_total || view.total;
        view.round = msg.round;
        view.room = msg.room;
        view.why = msg.why || "";
        view.whyFacts = msg.why_facts || null;
        // A reload or reconnect still says why the room changed in this round.
        if (msg.notice) view.notice = { round: msg.current_round, text: msg.notice };
        var held = view.round && view.round.status === "ended" ? view.round.held_break_s : null;
        view.held = held === undefined ? null : held;
        if (!view.round || view.round.status !== "ended" || view.held !== null) view.nextAt = null;
        else if (cfg.autoAdvance && view.round.ends_at && view.current < view.total) {
          // Rounds advance by themselves: the next one starts one break after this one ended
          // (longer by the time the organiser held it).
          var brk = cfg.breakSeconds + (view.round.break_held_s || 0);
          view.nextAt = new Date(Date.parse(view.round.ends_at) + brk * 1000).toISOString();
        }
        // The round's messages, also those sent while this page was not listening
        // (reconnecting, or not yet open): each one not yet heard is read out.
        shown = (msg.broadcasts || []).map(function (b) { return b.text; });
        showBroadcasts();
        shown.forEach(function (text) { heardNow(broadcastKey(msg.current_round, text), text); });
        if (!synced) {
          synced = true;
          view.metKey = cfg.metKey;
        }
        break;
      case "assignment":
        // A new round starts running. In the round already shown (someone was moved) only the
        // room changed: the clock stays as it is, which may be paused.
        var sameRound = msg.round === view.current && isLive(view.round);
        var metBefore = names(view.room);
        if (msg.round !== view.current) hideBroadcast();
        // Moved mid-round: the server now counts the new room-mates as met, not the old ones.
        if (synced && sameRound) decisions.refresh();
        if (!sameRound) {
          view.round = { number: msg.round, status: "running", starts_at: msg.starts_at, ends_at: msg.ends_at };
        }
        view.current = msg.round;
        view.room = msg.room;
        view.why = msg.why || "";
        view.whyFacts = msg.why_facts || null;
        if (msg.notice) view.notice = { round: msg.round, text: msg.notice };
        view.phase = "live";
        view.nextAt = null;
        view.held = null;
        if (sameRound) roomChanged(msg.notice, metBefore);
        break;
      case "round_started":
        if (msg.round !== view.current || !view.round) {
          // The assignment for this round has not arrived yet: ask for a fresh snapshot.
          socket.ws && socket.ws.send(JSON.stringify({ type: "resync" }));
        }
        view.current = msg.round;
        view.round = { number: msg.round, status: "running", starts_at: msg.starts_at, ends_at: msg.ends_at };
        view.phase = "live";
        view.nextAt = null;
        view.held = null;
        break;
      case "round_ending":
        if (view.round) view.round.ends_at = msg.ends_at;
        break;
      case "round_ended":
        view.current = msg.round;
        view.round = { number: msg.round, status: "ended" };
        view.nextAt = msg.next_round_at || null;
        view.held = null;
        break;
      case "broadcast":
        shown = shown.concat([msg.text]).slice(-MAX_BROADCASTS);
        showBroadcasts();
        heardBroadcasts[broadcastKey(view.current, msg.text)] = false; // new, even in the same words
        heardNow(broadcastKey(view.current, msg.text), msg.text);
        return;
      case "contacts_changed":
        // Someone's decision changed whom this person may see, or this person answered on
        // another device: fetch their list again, and their answers (never over one being typed).
        L.refreshFragment(cfg.fragments.contacts, "contacts-area");
        if (window.speedmatchDecisions) window.speedmatchDecisions.refresh();
        return;
      case "event_finished":
        view.phase = "finished";
        break;
      default:
        return;
    }
    render();
  }

  var conn = document.getElementById("conn");
  var socket = new L.LiveSocket(L.wsUrl(cfg.wsPath), {
    message: apply,
    status: function (state, info) {
      if (!conn) return;
      if (state === "refused" && info.code === 4404) state = "gone";
      // Lost a while ago after it worked: the page catches up by itself once the server answers.
      var outage = info.wasConnected && info.lostForMs !== null;
      if (state === "connecting" && outage && info.lostForMs < RECONNECTING_FOR_MS) {
        state = "reconnecting";
      // Never connected, or lost for too long: still trying, but say plainly that this page
      // may not update by itself.
      } else if (state === "connecting" && (outage || info.failures >= UNAVAILABLE_AFTER)) {
        state = "unavailable";
      }
      var plain = ["unavailable", "reconnecting", "refused", "gone"].indexOf(state) >= 0;
      conn.className = plain ? "conn notice warn" : "conn";
      conn.setAttribute("data-state", state);
      conn.textContent = t["conn_" + state] || state;
    },
  });
  var refresh = document.getElementById("refresh-contacts");
  if (refresh) {
    refresh.hidden = false;
    refresh.addEventListener("click", function () {
      L.refreshFragment(cfg.fragments.contacts, "contacts-area");
    });
  }

  setInterval(tick, 1000);
  if (cfg.state) {
    // The server rendered what the socket's first message would say: right even without it.
    socket.offsetMs = Date.parse(cfg.state.server_time) - Date.now();
    socket.version = cfg.state.version;
    apply(cfg.state);
  } else {
    render();
  }
  socket.connect();
})();
