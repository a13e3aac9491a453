/* Vägar in, methods library: the filter on /metoder/, the calculator on the
   socio-economic accounting page and the print buttons on method cards.
   Plain JavaScript; nothing is sent anywhere and nothing is stored. Without
   JavaScript the pages show the plain list and the manual instructions.
   The interface text comes from the page, in its language (the vi-methods-texts block). */
(function () {
  "use strict";

  var TEXTS = {};

  // An interface text in the page's language, its {name} placeholders filled from `values`.
  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(TEXTS, key) ? TEXTS[key] : key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  /* ---------- Filter: state lives in the URL query (?malgrupp=&typ=&aktor=) ---------- */

  function setupFilter(form) {
    var cards = Array.prototype.slice.call(document.querySelectorAll("#vi-method-cards .vi-method-card"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var count = document.getElementById("vi-filter-count");
    var empty = document.getElementById("vi-filter-empty");
    var reset = document.getElementById("vi-filter-reset");
    var total = cards.length;

    function allowed(select, value) {
      return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    }

    function readUrl() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var value = params.get(select.name) || "";
        select.value = allowed(select, value) ? value : "";
      });
    }

    function writeUrl() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        if (select.value) { params.set(select.name, select.value); } else { params.delete(select.name); }
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    }

    function apply() {
      var shown = 0;
      cards.forEach(function (card) {
        var match = selects.every(function (select) {
          if (!select.value) { return true; }
          var values = (card.getAttribute("data-" + select.name) || "").split(" ");
          return values.indexOf(select.value) !== -1;
        });
        card.hidden = !match;
        if (match) { shown += 1; }
      });
      var filtered = selects.some(function (select) { return select.value; });
      var numbers = { shown: shown, total: total };
      count.textContent = filtered ? t(total === 1 ? "filterSomeOne" : "filterSome", numbers) :
        t(total === 1 ? "filterAllOne" : "filterAll", numbers);
      count.setAttribute("data-shown", String(shown));
      empty.hidden = shown !== 0;
    }

    selects.forEach(function (select) {
      select.addEventListener("change", function () { writeUrl(); apply(); });
    });
    reset.addEventListener("click", function () {
      selects.forEach(function (select) { select.value = ""; });
      writeUrl();
      apply();
    });
    window.addEventListener("popstate", function () { readUrl(); apply(); });

    readUrl();
    form.hidden = false;
    apply();
  }

  /* ---------- Calculator: whole kronor per cost category and actor ---------- */

  var LANG = document.documentElement.lang || "sv";
  var FORMAT = new Intl.NumberFormat(LANG, { maximumFractionDigits: 0 });
  var FORMAT_ORE = new Intl.NumberFormat(LANG, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  /* 12500 -> "12 500 kr" on a Swedish page, "SEK 12,500" on an English one; 1500.5 -> "1 500,50 kr". */
  function kronor(n) {
    var rounded = Math.round(n * 100) / 100;
    return t("amount", { amount: (Number.isInteger(rounded) ? FORMAT : FORMAT_ORE).format(rounded) });
  }

  /* An amount as the reader writes it -> { amount } or { error } (a key of the texts).
     "" -> 0; spaces group thousands ("12 000"); on a Swedish page a point groups thousands as well
     ("12.000") and a comma starts the öre ("1 500,50", "1500,5"); on an English page a comma groups
     thousands ("12,000") and a point starts the pence ("1,500.50"). "kr", "SEK" and "−" are read too.
     A negative amount is no cost: it is reported, as is anything unreadable, and neither is counted. */
  function parseKronor(raw) {
    var value = raw.replace(/[\s\u00a0\u202f\u2009]/g, "").replace(/kr\.?$/i, "").replace(/^\u2212/, "-")
      .replace(/^(-?)SEK/i, "$1").replace(/SEK$/i, "");
    var english = /^en\b/i.test(LANG);
    var group = english ? "," : ".";
    var decimal = english ? "." : ",";
    if (value === "") { return { amount: 0 }; }
    var sign = value.charAt(0) === "-" ? -1 : 1;
    if (sign < 0) { value = value.slice(1); }
    var groups = new RegExp("^\\d{1,3}(\\" + group + "\\d{3})+(\\" + decimal + "\\d{1,2})?$");
    var plain = new RegExp("^\\d+(\\" + decimal + "\\d{1,2})?$");
    if (groups.test(value)) { value = value.split(group).join(""); }
    else if (!plain.test(value)) { return { error: "amountError" }; }
    var amount = Number(value.replace(decimal, "."));
    if (!isFinite(amount)) { return { error: "amountError" }; }
    if (sign < 0 && amount > 0) { return { error: "negativeError" }; }
    return { amount: Math.round(amount * 100) / 100 };
  }

  function setupCalculator(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-category]"));
    var summary = document.getElementById("vi-calc-summary");
    var categories = [];
    var actors = [];
    inputs.forEach(function (input) {
      var c = input.getAttribute("data-category");
      var a = input.getAttribute("data-actor");
      if (categories.indexOf(c) === -1) { categories.push(c); }
      if (actors.indexOf(a) === -1) { actors.push(a); }
    });
    var actorNames = {};
    inputs.forEach(function (input) {
      actorNames[input.getAttribute("data-actor")] = form.querySelector('label[for="' + input.id + '"]').textContent;
    });

    function cell(id, amount) {
      document.getElementById(id).textContent = kronor(amount);
    }

    function update() {
      var byCategory = {};
      var byActor = {};
      var total = 0;
      var unreadable = 0;
      categories.forEach(function (c) { byCategory[c] = 0; });
      actors.forEach(function (a) { byActor[a] = 0; });
      inputs.forEach(function (input) {
        var c = input.getAttribute("data-category");
        var a = input.getAttribute("data-actor");
        var read = parseKronor(input.value);
        var amount = read.error ? 0 : read.amount;
        var error = document.getElementById(input.id + "-error");
        if (read.error) {
          unreadable += 1;
          input.setAttribute("aria-invalid", "true");
          error.textContent = read.error === "negativeError" ? t("negativeError") : t("amountError");
        } else {
          input.removeAttribute("aria-invalid");
          error.textContent = "";
        }
        cell("vi-calc-sum-" + c + "-" + a, amount);
        byCategory[c] += amount;
        byActor[a] += amount;
        total += amount;
      });
      categories.forEach(function (c) { cell("vi-calc-sum-" + c, byCategory[c]); });
      actors.forEach(function (a) { cell("vi-calc-sum-" + a, byActor[a]); });
      cell("vi-calc-total", total);
      var parts = actors.map(function (a) { return t("summaryActor", { actor: actorNames[a], amount: kronor(byActor[a]) }); });
      var text = t("summary", { total: kronor(total), actors: parts.join(", ") });
      if (unreadable) {
        text += " " + t(unreadable === 1 ? "unreadableOne" : "unreadable", { count: unreadable });
      }
      summary.textContent = text;
    }

    form.addEventListener("input", update);
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    document.getElementById("vi-calc-print").addEventListener("click", function () {
      document.documentElement.classList.add("vi-print-calc");
      window.print();
    });
    window.addEventListener("afterprint", function () {
      document.documentElement.classList.remove("vi-print-calc");
    });
    form.hidden = false;
    update();
  }

  function setupPrintButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function start() {
    var texts = document.getElementById("vi-methods-texts");
    if (texts) { TEXTS = JSON.parse(texts.textContent); }
    var filter = document.getElementById("vi-method-filter");
    if (filter) { setupFilter(filter); }
    var calculator = document.getElementById("vi-calculator");
    if (calculator) { setupCalculator(calculator); }
    setupPrintButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
