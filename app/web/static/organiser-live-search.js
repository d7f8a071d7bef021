// Find a person on the organiser's live page: typing narrows the rooms (this round's, the next
// round's, the absent list) to those holding a match and highlights who matched. Rooms are
// rebuilt at every push, so the search applies itself again whenever they are.
"use strict";

(function () {
  var L = window.speedmatchLive;
  var cfg = L && L.readConfig("sm-person-search");
  var input = document.getElementById("person-search");
  var status = document.getElementById("person-search-status");
  if (!cfg || !input || !status) return;
  var t = cfg.t;
  var lang = document.documentElement.lang || "en";
  // Where people are listed, and what one group of them is there (shown or hidden as a whole).
  var SCOPES = [
    { list: "org-rooms", group: "tr" },
    { list: "org-absent", group: "li" },
    { list: "next-area", group: ".card" },
  ];
  var absentArea = document.getElementById("absent-area");

  // Letters that lose nothing to NFD: typed without them on most keyboards ("Lodz" for "Łódź").
  var LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i" };
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[ßæœøłđðþı]/g, function (c) { return LETTERS[c]; })
      .replace(/\s+/g, " ");
  }

  // The server's fields (with the id from the participants file) for everyone at page load.
  var known = {};
  Object.keys(cfg.people || {}).forEach(function (id) { known[id] = fold(cfg.people[id].join(" ")); });

  var countries = {};
  function countryWords(code) {
    if (!(code in countries)) countries[code] = code + " " + L.countryName(code, lang);
    return countries[code];
  }

  // A person's node on screen: the pushed name, school and country (fresher than page load).
  function nodeText(node) {
    var country = node.getAttribute("data-country");
    return fold(node.getAttribute("data-find") + (country ? " " + countryWords(country) : ""));
  }

  function people() {
    var found = [];
    SCOPES.forEach(function (scope) {
      var list = document.getElementById(scope.list);
      if (!list) return;
      list.querySelectorAll("[data-person]").forEach(function (node) {
        found.push({ node: node, id: node.getAttribute("data-person"), group: node.closest(scope.group) || node });
      });
    });
    return found;
  }

  function apply() {
    var query = input.value.trim();
    var words = fold(query).split(" ").filter(Boolean);
    var nodes = people();
    var text = {};
    nodes.forEach(function (n) { text[n.id] = (text[n.id] || known[n.id] || "") + " " + nodeText(n.node); });
    var matched = {};
    Object.keys(text).forEach(function (id) {
      matched[id] = words.length > 0 && words.every(function (w) { return text[id].indexOf(w) !== -1; });
    });
    var groups = new Map();
    nodes.forEach(function (n) {
      n.node.classList.toggle("search-hit", matched[n.id]);
      groups.set(n.group, groups.get(n.group) || matched[n.id]);
    });
    var absentShown = false;
    groups.forEach(function (hit, group) {
      group.hidden = words.length > 0 && !hit;
      if (!group.hidden && absentArea && absentArea.contains(group)) absentShown = true;
    });
    // The absent list's heading and note go with its people; renderAbsent owns its `hidden`.
    if (absentArea) absentArea.toggleAttribute("data-search-empty", words.length > 0 && !absentShown);
    var count = Object.keys(matched).filter(function (id) { return matched[id]; }).length;
    var said = !words.length ? "" : L.format(count === 0 ? t.none : count === 1 ? t.count_one : t.count, { n: count, q: query });
    // Only a change is announced (a push that changes nothing says nothing).
    if (status.textContent !== said) status.textContent = said;
  }

  input.addEventListener("input", apply);
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !input.value) return;
    event.preventDefault();
    input.value = "";
    apply();
  });
  // A push rebuilds the rows (organiser-live.js) and a new round refetches the next rooms:
  // the search must still apply to what they show then. Only the lists' children are watched,
  // so hiding rows here does not call this again.
  var watch = new MutationObserver(apply);
  SCOPES.forEach(function (scope) {
    var list = document.getElementById(scope.list);
    if (list) watch.observe(list, { childList: true });
  });
  apply();
})();
