// The organiser's live view: round header with countdown, controls, presence per room, broadcast.
"use strict";

(function () {
  var L = window.speedmatchLive;
  var cfg = L.readConfig("sm-org-live");
  if (!cfg) return;
  var t = cfg.t;
  var view = { phase: cfg.phase, current: 0, total: cfg.roundsTotal, round: null, rooms: [], presence: {} };
  var lastKey = null;
  var statusBox = document.getElementById("org-action-status");
  // With auto-advance, Pause and Resume hold and resume the break between rounds.
  var autoAdvance = !!document.querySelector("[data-auto-advance='true']");
  var labels = {};
  document.querySelectorAll("[data-action]").forEach(function (b) { labels[b.getAttribute("data-action")] = b.textContent; });
  // Requests on their way ("action:pause", "person:<id>"). A busy control says so with
  // aria-disabled and ignores presses: `disabled` would drop keyboard focus to the page's top.
  var busy = {};
  var sayTimer = null;

  function say(text) {
    clearTimeout(sayTimer);  // an older text must not land after this one
    statusBox.textContent = "";
    sayTimer = setTimeout(function () { statusBox.textContent = text; }, 50);
  }

  function markBusy(button, on) {
    if (on) button.setAttribute("aria-disabled", "true");
    else button.removeAttribute("aria-disabled");
  }

  function post(action, body) {
    return fetch(cfg.apiBase + "/" + action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.message || data.detail || (t.failed + " (" + response.status + ")"));
        return data;
      });
    });
  }

  function presenceText(entry) {
    if (!entry) return t.unknown;
    if (entry.attendance === "absent") return t.absent;
    return entry.connected ? t.connected : t.not_connected;
  }

  function renderRooms() {
    var body = document.getElementById("org-rooms");
    if (!body) return;
    var focused = focusedAttendance();
    var rows = view.rooms.map(function (room) {
      var people = L.el("ul", { "class": "plain" }, room.members.map(function (m) {
        var entry = view.presence[m.id];
        var on = entry && entry.connected && entry.attendance !== "absent";
        // data-person, data-find, data-country: what the person search reads (organiser-live-search.js).
        return L.el("li", { "data-person": m.id, "data-find": m.name + "\n" + m.school, "data-country": m.country }, [
          L.el("span", { "class": on ? "presence-on" : "presence-off", text: m.name + " (" + m.country + ") — " + presenceText(entry) + " " }),
          attendanceButton(m.id, m.name, entry),
        ]);
      }));
      return L.el("tr", { "data-room": String(room.number) }, [
        L.el("th", { scope: "row", text: room.name || L.format(t.room_number, { n: room.number }) }),
        L.el("td", {}, [people]),
      ]);
    });
    if (!rows.length) rows = [L.el("tr", {}, [L.el("td", { colspan: "2", text: t.no_rooms })])];
    body.replaceChildren.apply(body, rows);
    renderAbsent();
    if (focused) restoreAttendanceFocus(focused);
    var entries = Object.keys(view.presence).map(function (k) { return view.presence[k]; });
    var connected = entries.filter(function (e) { return e.connected; }).length;
    document.getElementById("org-presence-count").textContent =
      L.format(entries.length === 1 ? t.connected_count_one : t.connected_count, { n: connected, total: entries.length });
  }

  // "Mark absent" for someone taking part; "Mark present" undoes it (an absence the organiser
  // marked sticks when their page reconnects, so only this brings them back).
  function attendanceButton(id, name, entry) {
    var absent = entry && entry.attendance === "absent";
    var kind = absent ? "present" : "absent";
    var attrs = {
      type: "button", "class": "small secondary",
      text: t["mark_" + kind], "aria-label": L.format(t["mark_" + kind + "_of"], { name: name }),
    };
    attrs["data-" + kind] = id;
    if (busy["person:" + id]) attrs["aria-disabled"] = "true";
    return L.el("button", attrs);
  }

  var ATTENDANCE = "button[data-absent], button[data-present]";

  function personOf(button) {
    return button.getAttribute("data-absent") || button.getAttribute("data-present");
  }

  // The rows are rebuilt at each update, which would drop keyboard focus to the page's top:
  // note whose button had it, and in which list (rooms or absent), to put it back after.
  function focusedAttendance() {
    var active = document.activeElement;
    if (!active || !active.matches || !active.matches(ATTENDANCE)) return null;
    var list = active.closest("#org-rooms, #org-absent");
    if (!list) return null;
    var index = Array.prototype.indexOf.call(list.querySelectorAll(ATTENDANCE), active);
    return { person: personOf(active), list: list.id, index: index };
  }

  // The same person's button (where "Mark absent" became "Mark present", the new one), in the
  // same list, else in the other; else the neighbour in that list; else the rooms table.
  function restoreAttendanceFocus(was) {
    var lists = was.list === "org-rooms" ? ["org-rooms", "org-absent"] : ["org-absent", "org-rooms"];
    var target = null;
    lists.forEach(function (id) {
      var list = document.getElementById(id);
      if (target || !list || list.closest("[hidden]")) return;
      list.querySelectorAll(ATTENDANCE).forEach(function (b) {
        if (!target && personOf(b) === was.person) target = b;
      });
    });
    var home = document.getElementById(was.list);
    if (!target && home && !home.closest("[hidden]")) {
      var left = home.querySelectorAll(ATTENDANCE);
      if (left.length) target = left[Math.min(was.index, left.length - 1)];
    }
    if (!target) target = document.getElementById("org-rooms").closest("[tabindex]");
    if (target) target.focus();
  }

  // Everyone absent, also those a round start already took out of the rooms on screen.
  function renderAbsent() {
    var section = document.getElementById("absent-area");
    if (!section) return;
    var absent = Object.keys(view.presence).map(function (id) { return view.presence[id]; })
      .filter(function (e) { return e.attendance === "absent"; })
      .sort(function (a, b) { return a.name.localeCompare(b.name); });
    section.hidden = !absent.length;
    var list = document.getElementById("org-absent");
    list.replaceChildren.apply(list, absent.map(function (e) {
      return L.el("li", { "data-person": e.participant_id, "data-find": e.name }, [
        L.el("span", { text: e.name + " " }),
        attendanceButton(e.participant_id, e.name, e),
      ]);
    }));
  }

  // The move form lists everyone in the event and the rooms of the round on screen; it keeps
  // what the organiser has picked when the view refreshes underneath.
  function renderMoveForm() {
    var form = document.getElementById("move-form");
    var person = form.elements.participant_id;
    var room = form.elements.room;
    var picked = { person: person.value, room: room.value };
    var roomOf = {};
    view.rooms.forEach(function (r) {
      r.members.forEach(function (m) { roomOf[m.id] = r; });
    });
    var roomName = function (r) { return r.name || L.format(t.room_number, { n: r.number }); };
    var people = Object.keys(view.presence).map(function (id) { return view.presence[id]; })
      .filter(function (e) { return e.attendance !== "absent"; })
      .sort(function (a, b) { return a.name.localeCompare(b.name); });
    person.replaceChildren.apply(person, [L.el("option", { value: "", text: t.choose_person })].concat(
      people.map(function (e) {
        // Nobody sits out while no round's rooms are on screen (before round 1).
        var where = roomOf[e.participant_id] ? roomName(roomOf[e.participant_id])
          : view.rooms.length ? t.sitting_out : "";
        return L.el("option", { value: e.participant_id, text: where ? e.name + " — " + where : e.name });
      })));
    room.replaceChildren.apply(room, view.rooms.map(function (r) {
      return L.el("option", { value: String(r.number), text: roomName(r) });
    }));
    if (picked.person) person.value = picked.person;
    if (picked.room) room.value = picked.room;
    var status = view.round ? view.round.status : "planned";
    form.querySelector("button").disabled = !(status === "running" || status === "paused");
  }

  // Broadcasting to one room needs a running (or paused) round: only then are its rooms offered,
  // and they are the rooms of the round on screen, not of the round the page was loaded in.
  function renderBroadcastRooms(live) {
    var select = document.getElementById("broadcast-room");
    if (!select) return;
    var picked = select.value;
    var rooms = live ? view.rooms : [];
    select.replaceChildren.apply(select, [L.el("option", { value: "", text: t.everyone })].concat(
      rooms.map(function (r) {
        return L.el("option", { value: String(r.number), text: r.name || L.format(t.room_number, { n: r.number }) });
      })));
    select.value = picked;
    if (select.value !== picked) select.value = "";
  }

  function render() {
    var title = document.getElementById("org-round-title");
    var focused = document.activeElement;
    var status = view.round ? view.round.status : "planned";
    // The server starts rounds only once a schedule is stored (scheduled) or the event is live.
    var startable = view.phase === "scheduled" || view.phase === "live";
    var inBreak = autoAdvance && view.phase === "live" && status === "ended" && view.current < view.total;
    var held = inBreak && heldSeconds() !== null;
    var shown = held ? "break_held" : status;
    if (view.phase === "finished") title.textContent = t.finished;
    else if (view.current === 0) title.textContent = t.not_started;
    else title.textContent = L.format(t.round_of, { n: view.current, total: view.total }) + " — " + (t["status_" + shown] || shown);
    document.querySelectorAll("[data-action]").forEach(function (button) {
      var action = button.getAttribute("data-action");
      var running = status === "running";
      var enabled = {
        "start-round": startable && status !== "running" && status !== "paused" && view.current < view.total,
        pause: running || (inBreak && !held),
        resume: status === "paused" || held,
        extend: running || status === "paused",
        "end-round": running || status === "paused",
      }[action];
      button.disabled = !enabled;
      markBusy(button, enabled && !!busy["action:" + action]);
      if (action === "pause" || action === "resume") {
        button.textContent = inBreak ? t[action === "pause" ? "hold_break" : "resume_break"] : labels[action];
      }
    });
    if (focused && focused.disabled && focused.hasAttribute("data-action")) {
      moveFocusFrom(focused.getAttribute("data-action"), title);
    }
    if (view.phase === "finished") showFinished();
    renderRooms();
    renderMoveForm();
    renderBroadcastRooms(status === "running" || status === "paused");
    tick();
    var key = view.phase + "|" + view.current + "|" + shown;
    if (key !== lastKey) {
      if (lastKey !== null) {
        say(title.textContent);
        L.refreshFragment(cfg.fragments.next, "next-area").then(showNextSignedOut);
      }
      lastKey = key;
    }
  }

  // Keyboard focus on a control that stops applying (Pause once paused) goes to the one that
  // takes over, else to the next control that applies, else to the round's title: never back
  // to the top of the page.
  var TAKES_OVER = { pause: "resume", resume: "pause", "end-round": "start-round" };
  function moveFocusFrom(action, title) {
    var order = [TAKES_OVER[action]];
    var names = Array.prototype.map.call(document.querySelectorAll("[data-action]"), function (b) {
      return b.getAttribute("data-action");
    });
    var at = names.indexOf(action);
    order = order.concat(names.slice(at + 1), names.slice(0, at));
    for (var i = 0; i < order.length; i++) {
      var button = order[i] && document.querySelector("[data-action='" + order[i] + "']");
      if (button && !button.disabled) { button.focus(); return; }
    }
    title.setAttribute("tabindex", "-1");
    title.focus();
  }

  // Once the event has finished (here, in another tab, or the last round ending by itself),
  // attendance, rooms and messages are its record and the server refuses changes: the page
  // says so, as it does when loaded after the end, disables the attendance buttons and hides
  // Move and Send. Keyboard focus in what goes away or is disabled moves to the note.
  function showFinished() {
    var note = document.getElementById("finished-live");
    if (!note) return;
    var active = document.activeElement;
    var affected = active && active !== document.body && active.closest
      ? active.closest("[data-finished-disables], [data-finished-hides]") : null;
    note.hidden = false;
    document.querySelectorAll("[data-finished-disables]").forEach(function (set) { set.disabled = true; });
    document.querySelectorAll("[data-finished-hides]").forEach(function (section) { section.hidden = true; });
    // A scrolling region (the rooms table) keeps focus; a control that was disabled or hidden does not.
    if (affected && (affected.hidden || active.matches(":disabled"))) note.focus();
  }

  // Signed out meanwhile, the next rooms could not be fetched: say so rather than show stale ones.
  function showNextSignedOut(outcome) {
    var notice = document.getElementById("next-signed-out");
    if (notice && outcome !== "failed") notice.hidden = outcome !== "redirected";
  }

  // The break's time left while it is held, else null.
  function heldSeconds() {
    var r = view.round;
    return r && r.status === "ended" && r.held_break_s !== undefined ? r.held_break_s : null;
  }

  // With auto-advance, when the next round starts by itself: one break after this round ended,
  // longer by the time the break was held (as the participant's page counts down). Else null.
  function nextRoundAt() {
    var r = view.round;
    if (!autoAdvance || view.phase !== "live" || view.current >= view.total) return null;
    if (!r || r.status !== "ended" || !r.ends_at || cfg.breakSeconds === undefined) return null;
    return Date.parse(r.ends_at) + (cfg.breakSeconds + (r.break_held_s || 0)) * 1000;
  }

  function tick() {
    var node = document.getElementById("org-countdown");
    if (!node) return;
    var seconds = heldSeconds();
    if (view.round && view.round.status === "paused") seconds = view.round.remaining_s;
    else if (view.round && view.round.status === "running" && view.round.ends_at) {
      seconds = (Date.parse(view.round.ends_at) - socket.serverNow()) / 1000;
    } else if (seconds === null && nextRoundAt() !== null) {
      seconds = Math.max(0, (nextRoundAt() - socket.serverNow()) / 1000);
    }
    node.textContent = seconds === null ? "–:––" : L.mmss(seconds);
  }

  function apply(msg) {
    switch (msg.type) {
      case "state":
        // A control whose request was answered applies again once the view shows its effect.
        Object.keys(busy).forEach(function (key) { if (busy[key] === "answered") delete busy[key]; });
        view.phase = msg.phase;
        view.current = msg.current_round;
        view.total = msg.rounds_total || view.total;
        view.round = msg.round;
        view.rooms = msg.rooms || [];
        view.presence = {};
        (msg.presence || []).forEach(function (p) { view.presence[p.participant_id] = p; });
        break;
      case "presence":
        var entry = view.presence[msg.participant_id] || { participant_id: msg.participant_id, name: msg.name, attendance: "expected" };
        entry.connected = msg.connected;
        view.presence[msg.participant_id] = entry;
        break;
      case "round_started":
        view.current = msg.round;
        view.round = { number: msg.round, status: "running", starts_at: msg.starts_at, ends_at: msg.ends_at };
        view.phase = "live";
        socket.ws && socket.ws.send(JSON.stringify({ type: "resync" }));
        break;
      case "round_ending":
        if (view.round) view.round.ends_at = msg.ends_at;
        break;
      case "round_ended":
        view.round = { number: msg.round, status: "ended" };
        break;
      case "event_finished":
        view.phase = "finished";
        break;
      default:
        return;
    }
    render();
  }

  // Close codes of app/live/ws.py → the text that says what happened.
  var REFUSALS = { 4401: "signed_out", 4403: "forbidden", 4404: "gone" };
  var conn = document.getElementById("conn");
  var socket = new L.LiveSocket(L.wsUrl(cfg.wsPath), {
    message: apply,
    status: function (state, info) {
      // A refusal is for good (live-core.js): say why, so the organiser knows what to do next.
      var refused = state === "refused";
      if (refused) state = REFUSALS[info.code] || state;
      conn.className = refused ? "conn notice warn" : "conn";
      conn.setAttribute("data-state", state);
      conn.textContent = t["conn_" + state] || state;
    },
  });

  // What a control did, in words, from the API's answer (LiveStatus): "Round 2 started.".
  function outcome(action, data) {
    var n = { n: data.current_round };
    var inBreak = data.round_status === "ended";  // with auto-advance, pause/resume hold the break
    if (action === "start-round") return L.format(t.started, n);
    if (action === "pause") return inBreak ? t.break_held : L.format(t.paused, n);
    if (action === "resume") return inBreak ? t.break_resumed : L.format(t.resumed, n);
    if (action === "extend") return L.format(t.extended, n);
    return L.format(data.phase === "finished" ? t.ended_last : t.ended, n);
  }

  document.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-action");
      if (button.disabled || busy["action:" + action]) return;
      var body = action === "extend" ? { seconds: 60 } : {};
      // The round on screen: a click that lands after another round started (a co-host's
      // "Start next round") is refused instead of ending or extending that round.
      var path = action === "start-round" ? action : action + "?round=" + view.current;
      // A start takes out everyone who never opened their page (no-shows): say how many first.
      if (action === "start-round") {
        var never = Object.keys(view.presence).filter(function (id) {
          var entry = view.presence[id];
          return entry.attendance === "expected" && !entry.connected;
        }).length;
        var ask = never === 1 ? t.start_with_noshows_one : t.start_with_noshows;
        if (never > 0 && !window.confirm(L.format(ask, { n: never }))) return;
      }
      busy["action:" + action] = "sent";
      markBusy(button, true);
      // A start that re-plans takes seconds: say at once that it is on its way.
      if (action === "start-round") say(L.format(button.getAttribute("data-working"), { n: view.current + 1 }));
      post(path, body).then(function (data) {
        busy["action:" + action] = "answered";
        say(outcome(action, data));
        socket.ws && socket.ws.readyState === 1 && socket.ws.send(JSON.stringify({ type: "resync" }));
      }, function (error) {
        delete busy["action:" + action];
        say(error.message);
        render();
      });
    });
  });

  function onAttendanceClick(event) {
    var target = event.target.closest("button[data-absent], button[data-present]");
    if (!target) return;
    var kind = target.hasAttribute("data-absent") ? "absent" : "present";
    var id = target.getAttribute("data-" + kind);
    if (busy["person:" + id]) return;
    busy["person:" + id] = true;
    markBusy(target, true);
    post(kind, { participant_id: id }).then(function () {
      delete busy["person:" + id];
      say(t["marked_" + kind]);
      var entry = view.presence[id];
      if (entry) entry.attendance = kind;  // the next `state` says present or late
      renderRooms();
      renderMoveForm();
    }, function (error) {
      delete busy["person:" + id];
      // The rows may have been rebuilt meanwhile: free this person's buttons as they are now.
      document.querySelectorAll(ATTENDANCE).forEach(function (b) { if (personOf(b) === id) markBusy(b, false); });
      say(error.message);
    });
  }
  document.getElementById("org-rooms").addEventListener("click", onAttendanceClick);
  document.getElementById("org-absent").addEventListener("click", onAttendanceClick);

  var moveForm = document.getElementById("move-form");
  moveForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var who = moveForm.elements.participant_id;
    if (!who.value) { say(t.choose_person); who.focus(); return; }
    var roomSelect = moveForm.elements.room;
    var target = roomSelect.options[roomSelect.selectedIndex].text;
    var name = (view.presence[who.value] || {}).name || "";
    post("move", { participant_id: who.value, room: parseInt(roomSelect.value, 10) }).then(function (data) {
      // `messages`: the rules broken, in this page's language; `warnings`: the API's English.
      var warnings = (data.details && (data.details.messages || data.details.warnings)) || [];
      say(warnings.length ? L.format(t.moved_warning, { warnings: warnings.join("; ") })
                          : L.format(t.moved, { name: name, room: target }));
      who.value = "";
    }, function (error) { say(error.message); });
  });

  var form = document.getElementById("broadcast-form");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = form.elements.text.value.trim();
    if (!text) { say(t.empty_message); form.elements.text.focus(); return; }
    var room = form.elements.room.value;
    post("broadcast", { text: text, room: room ? parseInt(room, 10) : null }).then(function () {
      say(t.sent);
      form.elements.text.value = "";
    }, function (error) { say(error.message); });
  });

  // Schedules are made on another page, which does not push to this one: coming back to this
  // tab asks for a fresh snapshot, so "Start next round" follows the event's phase.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && socket.ws && socket.ws.readyState === 1) {
      socket.ws.send(JSON.stringify({ type: "resync" }));
    }
  });

  setInterval(tick, 1000);
  render();
  socket.connect();
})();
