/* Vägar in: the self-assessment (/kvalitetsmodell/sjalvskattning/).
 * The page is a complete checklist without this script; the script adds saving in this browser
 * (localStorage), the summary, CSV/JSON export, JSON import and the printed report.
 * Nothing leaves the browser. Text from data is only ever set with textContent.
 * The profile step turns the assessment into a quality profile (data/kvalitetsprofiler/<id>.yml) and
 * reads one back; it fetches the directory (katalog.json) and the YAML library only when it is opened.
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
      c.fieldset = fieldset;  // its radio buttons and its note
      criteria.push(c);
    });
  });

  var $ = function (id) { return document.getElementById(id); };
  var status = $("vi-sa-status");
  var orgInput = $("vi-sa-org");
  var dateInput = $("vi-sa-date");
  var profileStep = $("vi-sa-profile");
  var porg = $("vi-sa-porg"), kindSelect = $("vi-sa-kind"), assessorInput = $("vi-sa-assessor");

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
      var checked = c.fieldset.querySelector("input:checked");
      var note = c.fieldset.querySelector("textarea").value;
      if (checked || note.trim()) {
        ratings[c.id] = { level: checked ? (checked.value === "na" ? "na" : Number(checked.value)) : null, note: note };
      }
    });
    return { format: FORMAT, version: 1, organisation: orgInput.value, date: dateInput.value, ratings: ratings,
      profile: { organisation: porg.value, kind: kindSelect.value, assessor: assessorInput.value } };
  }

  function write(state) {
    orgInput.value = typeof state.organisation === "string" ? state.organisation : "";
    dateInput.value = /^\d{4}-\d{2}-\d{2}$/.test(state.date || "") ? state.date : "";
    var p = state.profile && typeof state.profile === "object" ? state.profile : {};
    porg.value = typeof p.organisation === "string" ? p.organisation : "";
    kindSelect.value = KINDS.indexOf(p.kind) >= 0 ? p.kind : "self";
    assessorInput.value = typeof p.assessor === "string" ? p.assessor : "";
    var ratings = state.ratings || {};
    var applied = 0;
    criteria.forEach(function (c) {
      var r = ratings[c.id] || {};
      c.fieldset.querySelectorAll("input[type=radio]").forEach(function (input) {
        input.checked = r.level !== null && r.level !== undefined && input.value === String(r.level);
      });
      c.fieldset.querySelector("textarea").value = typeof r.note === "string" ? r.note : "";
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
      fieldset.insertBefore(node, fieldset.lastElementChild);  // before the note
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

  // Quality profile: data/kvalitetsprofiler/<organisation>-<date>.yml, the record format of schemas/profile.schema.json

  var KINDS = ["self", "peer", "external"];
  var NOT_RELEVANT = "ej relevant";  // the record's word for "not applicable", the same in every language
  var MAX_NOTE = 500;
  var MAX_URL_VALUE = 6000;  // characters of the file in a link's address (GitHub's limit is about 8 000 for all of it)
  var FIELDS = ["id", "organisation", "date", "assessed_by", "assessor", "criteria"];  // id: optional, the file name
  var orgNames = {}, orgByLabel = {}, orgLoad = null, yamlLoad = null;


  function loadOrganisations() {
    if (!orgLoad) {
      orgLoad = window.viReadJson(profileStep.getAttribute("data-src")).then(function (data) {
        var at = {};
        data.columns.forEach(function (name, i) { at[name] = i; });
        var seen = {};
        data.rows.forEach(function (row) { seen[row[at.name]] = (seen[row[at.name]] || 0) + 1; });
        var list = $("vi-sa-orgs"), fragment = document.createDocumentFragment();
        data.rows.forEach(function (row) {
          var id = row[at.id], name = row[at.name];
          // Two organisations with one name are told apart by their municipality (and, last, their id).
          var label = seen[name] > 1 ? name + " (" + (row[at.municipality] || id) + ")" : name;
          if (orgByLabel[label]) label = name + " (" + id + ")";
          orgNames[id] = label;
          orgByLabel[label] = id;
          var option = el("option");
          option.value = label;
          fragment.appendChild(option);
        });
        list.textContent = "";
        list.appendChild(fragment);
      });
      orgLoad.catch(function () { orgLoad = null; });
    }
    return orgLoad;
  }

  function loadYaml() {
    if (!yamlLoad) {
      yamlLoad = new Promise(function (resolve, reject) {
        if (window.jsyaml) { resolve(window.jsyaml); return; }
        var script = el("script");
        script.src = profileStep.getAttribute("data-yaml");
        script.onload = function () { if (window.jsyaml) resolve(window.jsyaml); else reject(new Error("js-yaml")); };
        script.onerror = function () { reject(new Error("js-yaml")); };
        document.head.appendChild(script);
      });
      yamlLoad.catch(function () { yamlLoad = null; });
    }
    return yamlLoad;
  }

  function organisationId(text) {
    var value = text.trim();
    if (Object.prototype.hasOwnProperty.call(orgByLabel, value)) return orgByLabel[value];
    return Object.prototype.hasOwnProperty.call(orgNames, value) ? value : null;  // an id typed as it is
  }

  function chars(text) { return Array.from(text).length; }

  function realDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    var d = new Date(text + "T00:00:00Z");
    return !isNaN(d) && d.toISOString().slice(0, 10) === text;
  }

  // The profile from the form, or the problems that stop it (in the page's language).
  function makeProfile() {
    var state = read(), problems = [];
    var id = organisationId(porg.value);
    if (!porg.value.trim()) problems.push(t("profileNoOrg"));
    else if (!id) problems.push(t("profileUnknownOrg", { name: porg.value.trim() }));
    var date = state.date || today();
    if (!realDate(date)) problems.push(t("profileBadDate"));
    else if (date > today()) problems.push(t("profileFuture"));
    var kind = KINDS.indexOf(kindSelect.value) >= 0 ? kindSelect.value : "self";
    var assessor = assessorInput.value.trim();
    if (kind !== "self" && !assessor) problems.push(t("profileAssessor"));
    var rated = [];
    criteria.forEach(function (c) {
      var r = state.ratings[c.id];
      if (!r || r.level === null) return;  // not assessed: left out of the profile
      var entry = { id: c.id, level: r.level === "na" ? NOT_RELEVANT : r.level };
      if (r.note.trim()) {
        entry.note = r.note;
        if (chars(r.note) > MAX_NOTE) problems.push(t("profileLongNote", { number: c.number, max: MAX_NOTE }));
      }
      rated.push(entry);
    });
    if (!rated.length) problems.push(t("profileEmpty"));
    return { problems: problems, organisation: id, date: date, kind: kind, assessor: assessor, criteria: rated };
  }

  // A YAML string that is always one double-quoted scalar: JSON's string syntax, with the characters
  // YAML reads differently from JSON (line and paragraph separators, DEL, C1 controls, BOM) escaped too.
  // The handbook refuses invisible control characters in a record (they can change how a text is
  // read): a line or paragraph separator pasted into a note becomes a line break, the others go.
  function yamlString(text) {
    var clean = String(text).replace(/[\u2028\u2029]/g, "\n")
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g, "");
    return JSON.stringify(clean);
  }

  function profileYaml(p) {
    var lines = ["organisation: " + yamlString(p.organisation), "date: " + yamlString(p.date),
      "assessed_by: " + yamlString(p.kind)];
    if (p.assessor) lines.push("assessor: " + yamlString(p.assessor));
    lines.push("criteria:");
    p.criteria.forEach(function (c) {
      lines.push("  " + c.id + ":");  // a criterion id from the model: lowercase letters, digits and hyphens
      lines.push("    level: " + (typeof c.level === "number" ? String(c.level) : yamlString(c.level)));
      if (c.note !== undefined) lines.push("    note: " + yamlString(c.note));
    });
    return lines.join("\n") + "\n";
  }

  function showProblems(node, problems) {
    node.textContent = "";
    if (!problems.length) return;
    if (problems.length === 1) { node.textContent = problems[0]; return; }
    node.appendChild(el("span", t("profileProblems")));
    var list = el("ul");
    problems.forEach(function (text) { list.appendChild(el("li", text)); });
    node.appendChild(list);
  }

  function downloadProfile() {
    var message = $("vi-sa-profile-msg");
    loadOrganisations().catch(function () { return null; }).then(function () {
      var p = makeProfile();
      if (!orgLoad && p.problems.length) p.problems.unshift(t("orgsFailed"));
      showProblems(message, p.problems);
      if (p.problems.length) { $("vi-sa-send").hidden = true; return; }
      var yaml = profileYaml(p);
      var name = p.organisation + "-" + p.date + ".yml";
      var path = "data/kvalitetsprofiler/" + name;
      download(name, "application/yaml;charset=utf-8", yaml);
      // GitHub takes the file in the address; a very long one (many long notes) it refuses, so then the
      // links open the empty pages and the reader pastes the downloaded file.
      var value = encodeURIComponent(yaml), fits = value.length <= MAX_URL_VALUE;
      var pr = $("vi-sa-pr");
      if (pr) {
        pr.href = profileStep.getAttribute("data-new") + "?filename=" + encodeURIComponent(path) + (fits ? "&value=" + value : "");
        if (!pr.hasAttribute("data-filled")) pr.setAttribute("data-filled", pr.textContent);
        pr.textContent = fits ? pr.getAttribute("data-filled") : t("profileTooLong");
      }
      if ($("vi-sa-path")) $("vi-sa-path").textContent = path;
      var issue = profileStep.getAttribute("data-issue"), issueLink = $("vi-sa-send").querySelectorAll("li")[1].querySelector("a");
      if (issue && issueLink) issueLink.href = issue + "&organisation=" + encodeURIComponent(p.organisation) + (fits ? "&profil=" + value : "");
      $("vi-sa-send").hidden = false;
      say(t("profileDone", { file: name }));
    });
  }

  function plainObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  // What is wrong with a file read back, in the page's language; null when it is a profile this page can show.
  function profileProblem(data) {
    if (!plainObject(data)) return t("profileNotProfile");
    var extra = Object.keys(data).filter(function (key) { return FIELDS.indexOf(key) < 0; });
    if (extra.length) return t("profileUnknownFields", { fields: extra.join(", ") });
    if (typeof data.organisation !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(data.organisation) ||
        typeof data.date !== "string" || !realDate(data.date) || KINDS.indexOf(data.assessed_by) < 0 ||
        !plainObject(data.criteria)) return t("profileNotProfile");
    if (data.assessor !== undefined && data.assessor !== null && typeof data.assessor !== "string") return t("profileNotProfile");
    if (data.date > today()) return t("profileFuture");
    var known = {};
    criteria.forEach(function (c) { known[c.id] = c; });
    var unknown = Object.keys(data.criteria).filter(function (id) { return !Object.prototype.hasOwnProperty.call(known, id); });
    if (unknown.length) return t("profileUnknownCriteria", { ids: unknown.join(", ") });
    var wrong = Object.keys(data.criteria).filter(function (id) {
      var entry = data.criteria[id];
      if (!plainObject(entry) || Object.keys(entry).some(function (key) { return key !== "level" && key !== "note"; })) return true;
      var levels = known[id].fieldset.querySelectorAll('input[type=radio]:not([value="na"])').length;
      var level = entry.level;
      if (level !== NOT_RELEVANT && !(typeof level === "number" && level % 1 === 0 && level >= 1 && level <= levels)) return true;
      return entry.note !== undefined && entry.note !== null && (typeof entry.note !== "string" || chars(entry.note) > MAX_NOTE);
    });
    if (wrong.length) return t("profileBadLevels", { numbers: wrong.map(function (id) { return known[id].number; }).join(", ") });
    if (Object.keys(orgNames).length && !Object.prototype.hasOwnProperty.call(orgNames, data.organisation)) {
      return t("profileUnknownOrg", { name: data.organisation });
    }
    return null;
  }

  function importProfile(file) {
    var message = $("vi-sa-yml-msg");
    var reader = new FileReader();
    reader.onerror = function () { message.textContent = t("importFailed", { file: file.name }); };
    reader.onload = function () {
      var text = String(reader.result);
      Promise.all([loadYaml(), loadOrganisations().catch(function () { return null; })]).then(function (loaded) {
        var data;
        try {
          data = loaded[0].load(text, { schema: loaded[0].CORE_SCHEMA });  // plain data only: no tags, nothing runs
        } catch (e) {
          message.textContent = t("profileNotYaml", { file: file.name });
          return;
        }
        var problem = profileProblem(data);
        if (problem) { message.textContent = t("profileRefused", { file: file.name, problem: problem }); return; }
        var state = read();
        state.ratings = {};
        Object.keys(data.criteria).forEach(function (id) {
          var entry = data.criteria[id];
          state.ratings[id] = { level: entry.level === NOT_RELEVANT ? "na" : entry.level, note: typeof entry.note === "string" ? entry.note : "" };
        });
        state.date = data.date;
        var name = orgNames[data.organisation];
        state.profile = { organisation: name || data.organisation, kind: data.assessed_by, assessor: data.assessor || "" };
        if (name && !orgInput.value.trim()) state.organisation = name;
        var count = write(state);
        save();
        render();
        message.textContent = "";
        say(t(count === 1 ? "importDoneOne" : "importDone", { file: file.name, count: count }));
      }, function () { message.textContent = t("yamlFailed"); });
    };
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

  form.addEventListener("change", function (event) {
    if (event.target.type === "file") return;
    if (save()) render();
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") { save(); render(); }
  });
  $("vi-sa-import").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (file) importFile(file);
    event.target.value = "";
  });
  $("vi-sa-yml").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (file) importProfile(file);
    event.target.value = "";
  });
  profileStep.addEventListener("toggle", function () {
    if (!profileStep.open) return;
    if (!dateInput.value) { dateInput.value = today(); save(); render(); }
    loadYaml().catch(function () { /* said when a file is read */ });
    loadOrganisations().catch(function () { $("vi-sa-profile-msg").textContent = t("orgsFailed"); });
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
      } else if (action === "profile") {
        downloadProfile();
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

  dateInput.max = today();
  var restored = restore();
  $("vi-sa-tools").hidden = false;
  $("sammanfattning").hidden = false;
  form.querySelectorAll(".vi-sa-jump").forEach(function (node) { node.hidden = false; });
  form.classList.add("vi-sa--js");
  render();
  if (restored) say(t(restored === 1 ? "restoredOne" : "restored", { count: restored }));
})();
