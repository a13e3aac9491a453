/* Vägar in: search and filters for the partner directory (/organisationer/).
 *
 * The page holds the form only; the organisations come from katalog.json on the same origin,
 * so the HTML stays small with 1500 entries. Results are shown 25 at a time and built with
 * createElement/textContent (never innerHTML). The filter state lives in the URL query, so a
 * filtered view can be bookmarked and shared. Its words come from the page, in the page's language:
 * the JSON block #vi-directory-texts (a {name} in a text is where a value goes).
 * The quality profile filters read katalog.json's profile column: per row null or [current, levels],
 * levels in the order of profile_areas (0: no level in that area). */
(function () {
  "use strict";

  var FILTERS = ["lan", "kommun", "typ", "arbetstraning", "malgrupp", "omfattning", "omrade", "niva"];
  var PROFILE_FILTERS = ["omrade", "niva"];  // with the checkbox profil=1: only when some organisation has a profile

  function readTexts() {
    var el = document.getElementById("vi-directory-texts");
    try {
      return el ? JSON.parse(el.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function start(root) {
    if (root.dataset.started) return;
    root.dataset.started = "1";
    var app = root.querySelector(".vi-dir-app");
    var form = root.querySelector(".vi-dir-form");
    var query = form.elements.q;
    var countEl = root.querySelector(".vi-dir-count");
    var list = root.querySelector(".vi-dir-results");
    var more = root.querySelector(".vi-dir-more");
    var pageSize = parseInt(root.dataset.pageSize, 10) || 25;
    var municipalitySelect = form.elements.kommun;
    var allMunicipalities = Array.prototype.map.call(municipalitySelect.options, function (o) {
      return { value: o.value, label: o.textContent, lan: o.dataset.lan || "" };
    });
    var rows = [];
    var matches = [];
    var shown = 0;
    var timer = null;
    var texts = readTexts();
    var hasProfiles = false;
    var areaAt = {};  // area id -> its place in a row's profile levels

    function labels(select) {
      var map = {};
      Array.prototype.forEach.call(select.options, function (o) { if (o.value) map[o.value] = o.textContent; });
      return map;
    }
    var names = {
      lan: labels(form.elements.lan),
      typ: labels(form.elements.typ),
      arbetstraning: labels(form.elements.arbetstraning),
      malgrupp: labels(form.elements.malgrupp),
      omrade: labels(form.elements.omrade)
    };

    function fold(text) {
      // "goteborg" finds Göteborg; case and accents are ignored.
      return String(text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }

    function state() {
      var s = { q: query.value.trim() };
      FILTERS.forEach(function (name) { s[name] = form.elements[name].value; });
      s.profil = form.elements.profil.checked ? "1" : "";
      if (!hasProfiles) {
        s.profil = "";
        PROFILE_FILTERS.forEach(function (name) { s[name] = ""; });
      }
      return s;
    }

    function setMunicipalities(lan) {
      var current = municipalitySelect.value;
      while (municipalitySelect.firstChild) municipalitySelect.removeChild(municipalitySelect.firstChild);
      allMunicipalities.forEach(function (m) {
        if (m.value && lan && m.lan !== lan) return;
        var option = document.createElement("option");
        option.value = m.value;
        option.textContent = m.label;
        if (m.lan) option.dataset.lan = m.lan;
        municipalitySelect.appendChild(option);
      });
      municipalitySelect.value = current;
      if (municipalitySelect.value !== current) municipalitySelect.value = "";
    }

    function matchesState(row, s, words) {
      if (s.lan && row.county !== s.lan) return false;
      if (s.kommun && row.municipality !== s.kommun) return false;
      if (s.typ && row.type !== s.typ) return false;
      if (s.omfattning && row.scope !== s.omfattning) return false;
      if (s.arbetstraning && row.offers.indexOf(s.arbetstraning) < 0) return false;
      if (s.malgrupp && row.target_groups.indexOf(s.malgrupp) < 0) return false;
      if (s.profil && !(row.profile && row.profile[0] === 1)) return false;
      if (s.omrade || s.niva) {
        // The level reached in an area: the lowest level among its rated criteria (0: none).
        var levels = row.profile ? row.profile[1] : [];
        var lowest = parseInt(s.niva, 10) || 1;
        if (s.omrade) {
          if (!(levels[areaAt[s.omrade]] >= lowest)) return false;
        } else if (!levels.some(function (level) { return level >= lowest; })) {
          return false;
        }
      }
      for (var i = 0; i < words.length; i++) {
        if (row.haystack.indexOf(words[i]) < 0) return false;
      }
      return true;
    }

    function writeUrl(s) {
      var params = new URLSearchParams();
      if (s.q) params.set("q", s.q);
      FILTERS.forEach(function (name) { if (s[name]) params.set(name, s[name]); });
      if (s.profil) params.set("profil", s.profil);
      var search = params.toString();
      var url = location.pathname + (search ? "?" + search : "") + location.hash;
      if (url !== location.pathname + location.search + location.hash) history.replaceState(null, "", url);
    }

    function readUrl() {
      var params = new URLSearchParams(location.search);
      query.value = params.get("q") || "";
      setMunicipalities(params.get("lan") || "");
      FILTERS.forEach(function (name) {
        var select = form.elements[name];
        var value = params.get(name) || "";
        select.value = value;
        if (select.value !== value) select.value = ""; // an unknown value in the URL is ignored
      });
      form.elements.profil.checked = params.get("profil") === "1";
    }

    function number(n) { return n.toLocaleString(texts.locale || "sv-SE"); }

    function describe(s) {
      var parts = [];
      if (s.q) parts.push(fill(texts.quote, { q: s.q }));
      if (s.kommun) parts.push(s.kommun);
      else if (s.lan) parts.push(names.lan[s.lan]);
      if (s.typ) parts.push(names.typ[s.typ]);
      if (s.arbetstraning) parts.push(names.arbetstraning[s.arbetstraning]);
      if (s.malgrupp) parts.push(fill(texts.receives, { group: names.malgrupp[s.malgrupp].toLowerCase() }));
      if (s.profil) parts.push(texts.current);
      if (s.omrade) parts.push(fill(texts.level, { level: s.niva || "1", area: names.omrade[s.omrade] }));
      else if (s.niva) parts.push(fill(texts.levelAnywhere, { level: s.niva }));
      return parts.join(", ");
    }

    function item(row) {
      var li = document.createElement("li");
      li.className = "vi-dir-item";
      var heading = document.createElement("h3");
      var a = document.createElement("a");
      a.href = row.id + (location.protocol === "file:" ? "/index.html" : "/");  // a file copy: a folder is no page
      a.textContent = row.name;
      heading.appendChild(a);
      li.appendChild(heading);
      var meta = document.createElement("p");
      var place = [row.municipality, names.lan[row.county]].filter(Boolean).join(", ") || texts.whole_country;
      meta.textContent = (names.typ[row.type] || row.type) + " · " + place;
      li.appendChild(meta);
      if (row.offers.length) {
        var offers = document.createElement("p");
        offers.className = "vi-dir-offers";
        offers.textContent = fill(texts.offers, {
          offers: row.offers.map(function (o) { return names.arbetstraning[o] || o; }).join(", ")
        });
        li.appendChild(offers);
      }
      return li;
    }

    function showMore(moveFocus) {
      var next = matches.slice(shown, shown + pageSize);
      var fragment = document.createDocumentFragment();
      next.forEach(function (row) { fragment.appendChild(item(row)); });
      var first = fragment.firstChild;
      list.appendChild(fragment);
      shown += next.length;
      more.hidden = shown >= matches.length;
      var rest = Math.min(pageSize, matches.length - shown);
      more.textContent = fill(texts.more, { n: number(rest), left: number(matches.length - shown) });
      if (moveFocus && first) first.querySelector("a").focus();
    }

    function render(updateUrl) {
      var s = state();
      var words = fold(s.q).split(/\s+/).filter(Boolean);
      matches = rows.filter(function (row) { return matchesState(row, s, words); });
      while (list.firstChild) list.removeChild(list.firstChild);
      shown = 0;
      var what = describe(s);
      var found = matches.length === 1 ? texts.one : fill(texts.many, { n: number(matches.length) });
      countEl.textContent = matches.length
        ? found + (what ? fill(texts["for"], { what: what }) : "") +
          (matches.length > pageSize ? fill(texts.first, { n: pageSize }) : ".")
        : fill(texts.none, { what: what ? " " + what : "" });
      root.dataset.count = String(matches.length);
      showMore(false);
      if (updateUrl) writeUrl(s);
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () { render(true); }, 200);
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); render(true); });
    form.addEventListener("input", function (event) { if (event.target === query) later(); });
    form.addEventListener("change", function (event) {
      if (event.target === form.elements.lan) setMunicipalities(form.elements.lan.value);
      if (event.target !== query) render(true);
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { setMunicipalities(""); render(true); }, 0);
    });
    more.addEventListener("click", function () { showMore(true); });

    countEl.textContent = texts.loading;
    app.hidden = false;
    var note = root.querySelector(".vi-dir-nojs");
    if (note) note.hidden = true;

    window.viReadJson(root.dataset.src)
      .then(function (data) {
        var at = {};
        data.columns.forEach(function (name, i) { at[name] = i; });
        rows = data.rows.map(function (r) {
          var row = {};
          data.columns.forEach(function (name) { row[name] = r[at[name]]; });
          if (row.profile) hasProfiles = true;
          row.haystack = fold(row.name + " " + row.municipality + " " + (names.lan[row.county] || ""));
          return row;
        });
        (data.profile_areas || []).forEach(function (id, i) { areaAt[id] = i; });
        // An area the data has no place for cannot be chosen.
        Array.prototype.forEach.call(form.elements.omrade.options, function (o) {
          if (o.value && !Object.prototype.hasOwnProperty.call(areaAt, o.value)) o.remove();
        });
        // No organisation has a profile: a plain sentence instead of filters that can only find nothing.
        root.querySelector(".vi-dir-quality-filters").hidden = !hasProfiles;
        root.querySelector(".vi-dir-quality-none").hidden = hasProfiles;
        readUrl();
        render(false);
        root.dataset.ready = "1";
      })
      .catch(function () {
        countEl.textContent = texts.failed;
        if (note) note.hidden = false;
      });
  }


  function init() {
    var root = document.getElementById("vi-directory");
    if (root) start(root);
  }

  // Material's instant loading swaps pages without a reload; document$ tells when a page is in.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
