/* Vägar in: the self-assessment (/kvalitetsmodell/sjalvskattning/).
 * The page is a complete checklist without this script; the script adds saving in this browser
 * (localStorage), the summary, CSV/JSON export, JSON import and the printed report.
 * Nothing leaves the browser. Text from data is only ever set with textContent.
 * Its interface text comes from the page, in the page's language (the vi-quality-texts block), and
 * the saved state is kept per language, so the Swedish and the English page never share one.
 */
(function () {
  "use strict";

  var form = document.getElementById("vi-sa");
  var dataNode = document.getElementById("vi-sa-data");
  if (!form || !dataNode) return;

  var LANG = (document.documentElement.lang || "sv").toLowerCase().split("-")[0];
  var STORAGE_KEY = "vi-sjalvskattning-v1-" + LANG;
  var OLD_STORAGE_KEY = "vagar-in:sjalvskattning:v1";  // before the English edition: the Swedish page's key
  var FORMAT = "vagar-in-sjalvskattning";  // the file format's name, the same in every language
  var textsNode = document.getElementById("vi-quality-texts");
  var TEXTS = textsNode ? JSON.parse(textsNode.textContent) : {};
  var DECIMAL = new Intl.NumberFormat(document.documentElement.lang || "sv", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var model = JSON.parse(dataNode.textContent);
  var levelNames = {};
  model.levels.forEach(function (l) { levelNames[l.level] = l.name; });
  var criteria = [];
  model.areas.forEach(function (area) {
    area.criteria.forEach(function (c) {
      // The number, title and link of a criterion are on the page once, in its fieldset.
      var fieldset = document.getElementById("skatta-" + c.id);
      var legend = fieldset.querySelector("legend").textContent.trim();
      var cut = legend.indexOf(" ");
      c.number = legend.slice(0, cut);
      c.title = legend.slice(cut + 1);
      c.url = fieldset.querySelector("legend + p a").getAttribute("href");
      c.area = area;
      criteria.push(c);
    });
  });

  var $ = function (id) { return document.getElementById(id); };
  var status = $("vi-sa-status");
  var orgInput = $("vi-sa-org");
  var dateInput = $("vi-sa-date");

  // An interface text in the page's language, its {name} placeholders filled from `values`.
  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(TEXTS, key) ? TEXTS[key] : key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function say(message) {
    // Clear first, so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  // State <-> form

  function read() {
    var ratings = {};
    criteria.forEach(function (c) {
      var checked = form.querySelector('input[name="niva-' + c.id + '"]:checked');
      var note = $("belagg-" + c.id).value;
      if (checked || note.trim()) {
        ratings[c.id] = { level: checked ? (checked.value === "na" ? "na" : Number(checked.value)) : null, note: note };
      }
    });
    return { format: FORMAT, version: 1, organisation: orgInput.value, date: dateInput.value, ratings: ratings };
  }

  function write(state) {
    orgInput.value = typeof state.organisation === "string" ? state.organisation : "";
    dateInput.value = /^\d{4}-\d{2}-\d{2}$/.test(state.date || "") ? state.date : "";
    var ratings = state.ratings || {};
    var applied = 0;
    criteria.forEach(function (c) {
      var r = ratings[c.id] || {};
      form.querySelectorAll('input[name="niva-' + c.id + '"]').forEach(function (input) {
        input.checked = r.level !== null && r.level !== undefined && input.value === String(r.level);
      });
      $("belagg-" + c.id).value = typeof r.note === "string" ? r.note : "";
      if (ratings[c.id]) applied += 1;
    });
    return applied;
  }

  function valid(state) {
    if (!state || typeof state !== "object" || state.format !== FORMAT || typeof state.ratings !== "object") return false;
    return Object.keys(state.ratings).every(function (id) {
      var r = state.ratings[id];
      return r && typeof r === "object" && (r.level === null || r.level === "na" || [1, 2, 3, 4].indexOf(r.level) >= 0);
    });
  }

  function save() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(read()));
      return true;
    } catch (e) {
      say(t("saveFailed"));
      return false;
    }
  }

  // A self-assessment saved on the Swedish page before the key had the language: moved to the new key once.
  function migrate() {
    if (LANG !== "sv") return;
    try {
      var old = window.localStorage.getItem(OLD_STORAGE_KEY);
      if (old === null) return;
      if (window.localStorage.getItem(STORAGE_KEY) === null) window.localStorage.setItem(STORAGE_KEY, old);
      window.localStorage.removeItem(OLD_STORAGE_KEY);
    } catch (e) { /* storage is off */ }
  }

  function restore() {
    migrate();
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (valid(saved)) return write(saved);
    } catch (e) { /* nothing saved, or storage is off */ }
    return 0;
  }

  // Summary

  function summarise() {
    var state = read();
    var rated = 0, notApplicable = 0;
    var rows = model.areas.map(function (area) {
      var row = { area: area, rated: 0, na: 0, sum: 0, counts: { 1: 0, 2: 0, 3: 0, 4: 0 } };
      area.criteria.forEach(function (c) {
        var r = state.ratings[c.id];
        if (!r || r.level === null) return;
        if (r.level === "na") { row.na += 1; return; }
        row.rated += 1; row.sum += r.level; row.counts[r.level] += 1;
      });
      rated += row.rated; notApplicable += row.na;
      row.average = row.rated ? row.sum / row.rated : null;
      return row;
    });
    return { state: state, rows: rows, rated: rated, na: notApplicable };
  }

  function decimal(value) { return value === null ? "–" : DECIMAL.format(value); }

  function render() {
    var s = summarise();
    $("vi-sa-progress").textContent = s.na ? t("progressNa", { rated: s.rated, total: criteria.length, na: s.na }) :
      t("progress", { rated: s.rated, total: criteria.length });

    var bars = $("vi-sa-bars"), body = $("vi-sa-table-body");
    bars.textContent = ""; body.textContent = "";
    s.rows.forEach(function (row) {
      var title = row.area.order + ". " + row.area.title;
      var bar = el("li", null, "vi-sa-bar");
      bar.appendChild(el("span", title, "vi-sa-bar-label"));
      var track = el("span", null, "vi-sa-bar-track");
      track.setAttribute("aria-hidden", "true");
      var fill = el("span", null, "vi-sa-bar-fill");
      fill.style.width = row.average === null ? "0" : (row.average / 4 * 100) + "%";
      track.appendChild(fill);
      bar.appendChild(track);
      bar.appendChild(el("span", row.average === null ? t("barNone") : t("barValue", { average: decimal(row.average) }), "vi-sa-bar-value"));
      bars.appendChild(bar);

      var tr = el("tr");
      var th = el("th"); th.scope = "row";
      var a = el("a", title); a.href = row.area.url; th.appendChild(a);
      tr.appendChild(th);
      tr.appendChild(el("td", t("ratedOf", { rated: row.rated, total: row.area.criteria.length })));
      tr.appendChild(el("td", row.na));
      tr.appendChild(el("td", decimal(row.average)));
      [1, 2, 3, 4].forEach(function (n) { tr.appendChild(el("td", row.counts[n])); });
      body.appendChild(tr);
    });

    var weakest = criteria.filter(function (c) {
      var r = s.state.ratings[c.id];
      return r && typeof r.level === "number" && r.level < 4;
    }).sort(function (a, b) {
      return s.state.ratings[a.id].level - s.state.ratings[b.id].level;  // stable: model order within a level
    });
    var list = $("vi-sa-weakest");
    list.textContent = "";
    if (!weakest.length) {
      list.appendChild(el("li", s.rated ? t("weakestNone") : t("weakestEmpty")));
    }
    weakest.forEach(function (c) {
      var level = s.state.ratings[c.id].level;
      var item = el("li");
      var a = el("a", c.number + " " + c.title); a.href = c.url;
      item.appendChild(a);
      item.appendChild(document.createTextNode(" " + t("weakestItem", { level: level, name: levelNames[level], area: c.area.title })));
      if (c.helps.length) {
        var helps = el("ul", null, "vi-sa-helps");
        c.helps.forEach(function (place) {
          var h = model.helpers[place];
          var li = el("li", h.what + ": ");
          var link = el("a", h.title); link.href = h.url;
          li.appendChild(link);
          helps.appendChild(li);
        });
        item.appendChild(helps);
      }
      list.appendChild(item);
    });

    // The printed report shows the choice and the note under each criterion.
    criteria.forEach(function (c) {
      var r = s.state.ratings[c.id];
      var node = resultNode(c);
      var words = !r || r.level === null ? t("resultNone") :
        r.level === "na" ? model.notApplicable : t("resultLevel", { level: r.level, name: levelNames[r.level] });
      node.textContent = r && r.note.trim() ? t("resultNote", { result: words, note: r.note.trim() }) : words;
    });
    form.classList.toggle("vi-sa--has-ratings", s.rated + s.na > 0);
    $("vi-sa-print-org").textContent = orgInput.value.trim() || t("printNoOrganisation");
    $("vi-sa-print-date").textContent = dateInput.value || today();
  }

  // Where the printed report shows a criterion's choice and note: made when first needed.
  function resultNode(c) {
    var fieldset = $("skatta-" + c.id);
    var node = fieldset.querySelector(".vi-sa-result");
    if (!node) {
      node = el("p", null, "vi-sa-result");
      node.hidden = true;
      fieldset.insertBefore(node, fieldset.querySelector(".vi-sa-note"));
    }
    return node;
  }

  // Export and import

  function slug(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  }

  function fileName(ext) {
    var s = read();
    return [slug(t("fileName")), slug(s.organisation), s.date || today()].filter(Boolean).join("-") + "." + ext;
  }

  function download(name, type, content) {
    var blob = new Blob([content], { type: type });
    var url = URL.createObjectURL(blob);
    var a = el("a");
    a.href = url; a.download = name; a.hidden = true;
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;  // spreadsheet programs would run it as a formula
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv() {
    var s = read();
    var lines = [[t("csvOrganisation"), t("csvDate"), t("csvAreaId"), t("csvArea"), t("csvCriterionId"), t("csvNumber"),
      t("csvCriterion"), t("csvLevel"), t("csvLevelName"), t("csvNote")]];
    criteria.forEach(function (c) {
      var r = s.ratings[c.id] || { level: null, note: "" };
      var level = r.level === null ? "" : r.level;
      var name = r.level === null ? "" : r.level === "na" ? model.notApplicable : levelNames[r.level];
      lines.push([s.organisation, s.date, c.area.id, c.area.title, c.id, c.number, c.title,
        level === "na" ? t("csvNotApplicable") : level, name, r.note]);
    });
    return "\ufeff" + lines.map(function (row) { return row.map(csvCell).join(","); }).join("\n") + "\n";
  }

  function importFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var state;
      try { state = JSON.parse(reader.result); } catch (e) { state = null; }
      if (!valid(state)) {
        say(t("importWrong", { file: file.name }));
        return;
      }
      var known = Object.keys(state.ratings).filter(function (id) {
        return criteria.some(function (c) { return c.id === id; });
      }).length;
      write(state);
      save();
      render();
      say(t(known === 1 ? "importDoneOne" : "importDone", { file: file.name, count: known }));
    };
    reader.onerror = function () { say(t("importFailed", { file: file.name })); };
    reader.readAsText(file);
  }

  // Wiring

  var printHead = el("div", null, "vi-sa-print-head");
  printHead.setAttribute("aria-hidden", "true");
  var orgLine = el("p"); orgLine.appendChild(el("strong", t("printOrganisation") + " ")); orgLine.appendChild(el("span", "", null));
  orgLine.lastChild.id = "vi-sa-print-org";
  var dateLine = el("p"); dateLine.appendChild(el("strong", t("printDate") + " ")); dateLine.appendChild(el("span", "", null));
  dateLine.lastChild.id = "vi-sa-print-date";
  printHead.appendChild(orgLine); printHead.appendChild(dateLine);
  form.insertBefore(printHead, form.firstChild);

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("change", function (event) {
    if (event.target.id === "vi-sa-import") return;
    if (save()) render();
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target === orgInput) { save(); render(); }
  });
  $("vi-sa-import").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (file) importFile(file);
    event.target.value = "";
  });
  form.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-action");
      if (action === "csv") {
        download(fileName("csv"), "text/csv;charset=utf-8", toCsv());
        say(t("csvDone"));
      } else if (action === "json") {
        download(fileName("json"), "application/json", JSON.stringify(read(), null, 1));
        say(t("jsonDone"));
      } else if (action === "print") {
        window.print();
      } else if (action === "clear") {
        if (!window.confirm(t("clearConfirm"))) return;
        try {
          window.localStorage.removeItem(STORAGE_KEY);
          if (LANG === "sv") window.localStorage.removeItem(OLD_STORAGE_KEY);
        } catch (e) { /* storage is off */ }
        write({ ratings: {} });
        render();
        say(t("cleared"));
      }
    });
  });

  var restored = restore();
  $("vi-sa-tools").hidden = false;
  $("sammanfattning").hidden = false;
  form.querySelectorAll(".vi-sa-jump").forEach(function (node) { node.hidden = false; });
  form.classList.add("vi-sa--js");
  render();
  if (restored) say(t(restored === 1 ? "restoredOne" : "restored", { count: restored }));
})();
