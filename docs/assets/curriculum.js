/* Vägar in: the course planner (/handledarutbildning/kursplanerare/) and the handout print button.
 * Everything is worked out in the browser; the plan lives only in the page address (#...).
 * Data strings are shown with textContent, never as HTML. The interface text comes from the page, in
 * its language (the vi-curriculum-texts block); the address is the same in every language. */
(function () {
  "use strict";

  // Print buttons on handout pages: shown only when the script can run them.
  document.querySelectorAll(".vi-print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var root = document.getElementById("vi-planner");
  var dataNode = document.getElementById("vi-planner-data");
  if (!root || !dataNode) return;

  var textsNode = document.getElementById("vi-curriculum-texts");
  var TEXTS = textsNode ? JSON.parse(textsNode.textContent) : {};
  var MODULES = JSON.parse(dataNode.textContent).modules;
  var BY_ID = new Map(MODULES.map(function (m) { return [m.id, m]; }));
  var MAX_STRETCH = 90;          // minutes of work before a pause is due
  var LUNCH_FROM = 11 * 60 + 30; // lunch at the first gap from 11.30 ...
  var LUNCH_EARLY = 11 * 60;     // ... or from 11.00 if the next activity would end after 12.45
  var LUNCH_LATE_END = 12 * 60 + 45;
  var DEFAULTS = { modules: [], days: 2, start: 9 * 60, length: 420, lunch: 60, pause: 15, auto: true };

  var form = document.getElementById("vi-planner-form");
  var fields = {
    days: document.getElementById("vi-days"),
    start: document.getElementById("vi-start"),
    length: document.getElementById("vi-length"),
    lunch: document.getElementById("vi-lunch"),
    pause: document.getElementById("vi-pause"),
    autoAdd: document.getElementById("vi-auto-add"),
    autoWarn: document.getElementById("vi-auto-warn"),
  };
  var output = document.getElementById("vi-plan-output");
  var status = document.getElementById("vi-plan-status");
  var linkField = document.getElementById("vi-plan-link");
  var copyStatus = document.getElementById("vi-copy-status");

  // Helpers

  // An interface text in the page's language, its {name} placeholders filled from `values`.
  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(TEXTS, key) ? TEXTS[key] : key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function twoDigits(n) { return (n < 10 ? "0" : "") + n; }

  /* 540 -> "09.00" in the address and the time field (then "09:00"), the same in every language. */
  function hhmm(minutes) { return twoDigits(Math.floor(minutes / 60) % 24) + "." + twoDigits(minutes % 60); }

  /* 540 -> a time of day as the page's language writes it ("09.00" in Swedish, "09:00" in English). */
  function clock(minutes) {
    return t("clock", { hours: twoDigits(Math.floor(minutes / 60) % 24), minutes: twoDigits(minutes % 60) });
  }

  function span(from, to) { return clock(from) + "–" + clock(to); }

  function duration(total) {
    var h = Math.floor(total / 60), m = total % 60;
    if (h && m) return t("hoursMinutes", { hours: h, minutes: m });
    return h ? t("hours", { hours: h }) : t("minutes", { minutes: m });
  }

  function parseTime(value) {
    var match = /^(\d{1,2})[:.](\d{2})$/.exec(value || "");
    if (!match) return null;
    var h = Number(match[1]), m = Number(match[2]);
    return h < 24 && m < 60 ? h * 60 + m : null;
  }

  function optionValues(select) {
    return Array.prototype.map.call(select.options, function (o) { return Number(o.value); });
  }

  function titleOf(id) { return BY_ID.get(id).title; }

  // State <-> form <-> address

  function readForm() {
    var chosen = Array.prototype.filter.call(form.querySelectorAll('input[name="modul"]'), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
    return {
      modules: chosen,
      days: readDays(),
      start: parseTime(fields.start.value) === null ? DEFAULTS.start : parseTime(fields.start.value),
      length: Number(fields.length.value),
      lunch: Number(fields.lunch.value),
      pause: Number(fields.pause.value),
      auto: fields.autoAdd.checked,
    };
  }

  // "Antal dagar": a whole number from 1 to 20. Anything else is said next to the field (and the
  // field is marked invalid); the plan keeps the last number of days that could be used, and says so.
  var lastDays = DEFAULTS.days;
  var daysError = document.getElementById("vi-days-error");

  function readDays() {
    var raw = fields.days.value.trim();
    var days = Number(raw);
    var usable = raw !== "" && !fields.days.validity.badInput && Number.isInteger(days) && days >= 1 && days <= 20;
    if (usable) {
      lastDays = days;
      fields.days.removeAttribute("aria-invalid");
      daysError.textContent = "";
    } else {
      fields.days.setAttribute("aria-invalid", "true");
      daysError.textContent = t("daysError", { days: t(lastDays === 1 ? "daysOne" : "daysMany", { count: lastDays }) });
    }
    return lastDays;
  }

  function writeForm(state) {
    form.querySelectorAll('input[name="modul"]').forEach(function (box) {
      box.checked = state.modules.indexOf(box.value) !== -1;
    });
    fields.days.value = String(state.days);
    fields.start.value = hhmm(state.start).replace(".", ":");
    fields.length.value = String(state.length);
    fields.lunch.value = String(state.lunch);
    fields.pause.value = String(state.pause);
    fields.autoAdd.checked = state.auto;
    fields.autoWarn.checked = !state.auto;
  }

  function toHash(state) {
    return "#moduler=" + state.modules.join(",") + "&dagar=" + state.days + "&start=" + hhmm(state.start) +
      "&langd=" + state.length + "&lunch=" + state.lunch + "&paus=" + state.pause +
      "&forkunskap=" + (state.auto ? "lagg-till" : "varna");
  }

  /* The state in the address, and what in it could not be used (so the reader is told, not left guessing). */
  function fromHash(hash) {
    var state = Object.assign({}, DEFAULTS, { modules: [] });
    var problems = [];
    var params = new URLSearchParams((hash || "").replace(/^#/, ""));
    if (params.has("moduler")) {
      params.get("moduler").split(",").filter(Boolean).forEach(function (id) {
        if (BY_ID.has(id)) { if (state.modules.indexOf(id) === -1) state.modules.push(id); }
        else problems.push(t("unknownModule", { id: id }));
      });
    }
    var days = params.has("dagar") ? Number(params.get("dagar")) : DEFAULTS.days;
    if (Number.isInteger(days) && days >= 1 && days <= 20) state.days = days;
    else problems.push(t("badDays", { days: DEFAULTS.days }));
    if (params.has("start")) {
      var start = parseTime(params.get("start"));
      if (start === null) problems.push(t("badStart", { time: clock(DEFAULTS.start) }));
      else state.start = start;
    }
    [["langd", "length", fields.length, function (d) { return t("badLength", { duration: d }); }],
     ["lunch", "lunch", fields.lunch, function (d) { return t("badLunch", { duration: d }); }],
     ["paus", "pause", fields.pause, function (d) { return t("badPause", { duration: d }); }]].forEach(function (item) {
      if (!params.has(item[0])) return;
      var value = Number(params.get(item[0]));
      if (optionValues(item[2]).indexOf(value) !== -1) state[item[1]] = value;
      else problems.push(item[3](duration(DEFAULTS[item[1]])));
    });
    if (params.has("forkunskap")) state.auto = params.get("forkunskap") !== "varna";
    return { state: state, problems: problems };
  }

  // Planning

  /* Selected modules plus (when `auto`) everything they build on, in an order where each module
   * comes after the ones it builds on; ties go by the modules' reading order. */
  function chooseAndOrder(state) {
    var chosen = new Set(state.modules);
    var added = [], missing = [];
    var todo = state.modules.slice();
    while (todo.length) {
      var id = todo.shift();
      BY_ID.get(id).prerequisites.forEach(function (needed) {
        if (chosen.has(needed)) return;
        if (state.auto) {
          chosen.add(needed);
          added.push({ id: needed, forId: id });
          todo.push(needed);
        } else {
          missing.push({ id: id, needs: needed });
        }
      });
    }
    var waiting = new Map();
    chosen.forEach(function (id) {
      waiting.set(id, new Set(BY_ID.get(id).prerequisites.filter(function (p) { return chosen.has(p); })));
    });
    var ordered = [];
    var byOrder = function (a, b) {
      return (BY_ID.get(a).order - BY_ID.get(b).order) || (a < b ? -1 : a > b ? 1 : 0);
    };
    while (waiting.size) {
      var ready = Array.from(waiting.keys()).filter(function (id) { return waiting.get(id).size === 0; }).sort(byOrder);
      if (!ready.length) ready = Array.from(waiting.keys()).sort(byOrder); // a cycle: the checks forbid it
      var next = ready[0];
      ordered.push(next);
      waiting.delete(next);
      waiting.forEach(function (needs) { needs.delete(next); });
    }
    return { ordered: ordered, added: added, missing: missing };
  }

  /* One day's timetable: activities with clock times, pauses and lunch in the gaps. */
  function schedule(ids, state) {
    var rows = [], t = state.start, since = 0;
    var lunchDone = state.lunch === 0 || state.start >= LUNCH_FROM;
    // A rest inside a module is listed with the module's activities; one between modules stands alone.
    function rest(kind, minutes, list) {
      if (minutes > 0) list.push({ kind: kind, from: t, to: t + minutes });
      t += minutes;
      since = 0;
    }
    ids.forEach(function (id, i) {
      var block = { kind: "module", id: id, rows: [] };
      BY_ID.get(id).activities.forEach(function (activity, j) {
        if (i > 0 || j > 0) {
          var list = j === 0 ? rows : block.rows;
          var lunchDue = t >= LUNCH_FROM || (t >= LUNCH_EARLY && t + activity.minutes > LUNCH_LATE_END);
          if (!lunchDone && lunchDue) { rest("lunch", state.lunch, list); lunchDone = true; }
          else if (j === 0 || since + activity.minutes > MAX_STRETCH) rest("paus", state.pause, list);
        }
        if (j === 0) { block.from = t; rows.push(block); }
        block.rows.push({ kind: "activity", activity: activity, from: t, to: t + activity.minutes });
        t += activity.minutes;
        since += activity.minutes;
        block.to = t;
      });
    });
    return { rows: rows, end: t };
  }

  function buildPlan(state) {
    var chosen = chooseAndOrder(state);
    var limit = state.start + state.length;
    var days = [], current = [];
    chosen.ordered.forEach(function (id) {
      if (current.length && days.length < state.days - 1 && schedule(current.concat([id]), state).end > limit) {
        days.push(current);
        current = [];
      }
      current.push(id);
    });
    days.push(current);
    while (days.length < state.days) days.push([]);
    return {
      chosen: chosen,
      days: days.map(function (ids) {
        var timetable = schedule(ids, state);
        return { ids: ids, rows: timetable.rows, end: timetable.end, over: ids.length ? timetable.end - limit : 0 };
      }),
    };
  }

  // Showing the plan

  function timeRow(from, to, what, minutes, className) {
    return el("tr", className ? { className: className } : {}, [
      el("td", { className: "vi-time", text: span(from, to) }),
      el("td", { text: what }),
      el("td", { className: "vi-num", text: String(minutes) }),
    ]);
  }

  function restRow(row) {
    return timeRow(row.from, row.to, row.kind === "lunch" ? t("lunch") : t("pause"), row.to - row.from, "vi-plan-rest");
  }

  function dayTable(day, number) {
    var table = el("table", { className: "vi-day-table" }, [
      el("caption", { text: t("dayCaption", { day: number }) }),
      el("thead", {}, [el("tr", {}, [
        el("th", { scope: "col", text: t("columnClock") }),
        el("th", { scope: "col", text: t("columnWhat") }),
        el("th", { scope: "col", text: t("columnMinutes") }),
      ])]),
    ]);
    day.rows.forEach(function (row) {
      if (row.kind !== "module") {
        table.appendChild(el("tbody", { className: "vi-plan-between" }, [restRow(row)]));
        return;
      }
      var module = BY_ID.get(row.id);
      var body = el("tbody", { className: "vi-plan-module" }, [el("tr", {}, [
        el("th", { scope: "rowgroup", colspan: "3" }, [
          t("moduleLabel") + " ", el("a", { href: module.url, text: module.title }),
          " " + t("moduleTime", { time: span(row.from, row.to), duration: duration(row.to - row.from) }),
        ]),
      ])]);
      row.rows.forEach(function (item) {
        body.appendChild(item.kind === "activity"
          ? timeRow(item.from, item.to, t("activity", { title: item.activity.title, form: item.activity.form.toLowerCase() }),
            item.activity.minutes)
          : restRow(item));
      });
      table.appendChild(body);
    });
    return el("section", { className: "vi-scroll", "aria-label": t("dayCaption", { day: number }), tabindex: "0" }, [table]);
  }

  function render(plan, state, problems) {
    output.textContent = "";
    var notes = el("ul", { className: "vi-plan-notices" });
    problems.forEach(function (text) { notes.appendChild(el("li", { text: text })); });
    plan.chosen.added.forEach(function (item) {
      notes.appendChild(el("li", { text: t("added", { module: titleOf(item.id), needing: titleOf(item.forId) }) }));
    });
    plan.chosen.missing.forEach(function (item) {
      notes.appendChild(el("li", { className: "vi-warning", text: t("missing", { module: titleOf(item.id), needed: titleOf(item.needs) }) }));
    });
    if (notes.children.length) output.appendChild(notes);

    var count = plan.chosen.ordered.length;
    if (!count) {
      output.appendChild(el("p", { text: t("noModules") }));
      status.textContent = t("noModulesStatus");
      return;
    }
    var total = plan.chosen.ordered.reduce(function (sum, id) {
      return sum + BY_ID.get(id).activities.reduce(function (s, a) { return s + a.minutes; }, 0);
    }, 0);
    var modulesText = t(count === 1 ? "modulesOne" : "modulesMany", { count: count });
    var daysText = t(state.days === 1 ? "daysOne" : "daysMany", { count: state.days });
    output.appendChild(el("p", { className: "vi-plan-settings", text: [
      t("settingsModules", { modules: modulesText, duration: duration(total) }),
      t(state.days === 1 ? "settingsDaysOne" : "settingsDaysMany",
        { days: daysText, start: clock(state.start), length: duration(state.length) }),
      t("settingsBreaks", { lunch: state.lunch, pause: state.pause }),
    ].join(" ") }));

    var overDays = [];
    plan.days.forEach(function (day, index) {
      var number = index + 1;
      var limit = state.start + state.length;
      var section = el("section", { className: "vi-day" + (day.over > 0 ? " vi-day-over" : ""), "aria-labelledby": "vi-day-" + number });
      if (!day.ids.length) {
        section.appendChild(el("h3", { id: "vi-day-" + number, text: t("day", { day: number }) }));
        section.appendChild(el("p", { text: t("emptyDay") }));
        output.appendChild(section);
        return;
      }
      section.appendChild(el("h3", { id: "vi-day-" + number, text: t("dayTimes", { day: number, time: span(state.start, day.end) }) }));
      if (day.over > 0) {
        overDays.push(number);
        section.appendChild(el("p", { className: "vi-over-note" }, [
          el("strong", { text: t("over", { duration: duration(day.over) }) }),
          " " + t("overAdvice", { end: clock(day.end), limit: clock(limit) }),
        ]));
      } else {
        section.appendChild(el("p", { className: "vi-day-note", text: limit > day.end ?
          t("withinLeft", { limit: clock(limit), left: duration(limit - day.end) }) : t("within", { limit: clock(limit) }) }));
      }
      section.appendChild(dayTable(day, number));
      output.appendChild(section);
    });

    status.textContent = t("status", { modules: modulesText, days: daysText }) + " " +
      (overDays.length ? t("statusOver", { days: overDays.join(", ") }) : t("statusOnTime")) +
      (plan.chosen.added.length ? " " + t(plan.chosen.added.length === 1 ? "statusAddedOne" : "statusAdded",
        { count: plan.chosen.added.length }) : "") +
      (plan.chosen.missing.length ? " " + t("statusMissing") : "");
  }

  var pendingProblems = [];

  function update() {
    var state = readForm();
    var plan = buildPlan(state);
    render(plan, state, pendingProblems);
    pendingProblems = [];
    var hash = toHash(state);
    if (location.hash !== hash) history.replaceState(null, "", hash);
    linkField.value = location.href;
  }

  function loadFromAddress() {
    var read = fromHash(location.hash);
    writeForm(read.state);
    pendingProblems = read.problems;
    update();
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  form.querySelectorAll("[data-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var all = button.getAttribute("data-select") === "all";
      form.querySelectorAll('input[name="modul"]').forEach(function (box) { box.checked = all; });
      update();
    });
  });
  window.addEventListener("hashchange", function () {
    if (location.hash !== toHash(readForm())) loadFromAddress();
  });
  document.getElementById("vi-copy-link").addEventListener("click", function () {
    function done() { copyStatus.textContent = t("copied"); }
    function fallback() {
      linkField.select();
      try { document.execCommand("copy"); done(); } catch (e) { copyStatus.textContent = t("copyYourself"); }
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(linkField.value).then(done, fallback);
    else fallback();
  });
  document.getElementById("vi-print-plan").addEventListener("click", function () { window.print(); });

  document.querySelectorAll(".vi-nojs, .vi-planner-fallback").forEach(function (node) { node.hidden = true; });
  root.hidden = false;
  loadFromAddress();
})();
