// Site-wide script, on every page: the header's search (overrides/partials/search.html).
// It asks this edition's Pagefind index (pagefind/ beside assets/, one per language), which stems
// Swedish or English and fetches only the parts of the index that a query needs, once something is
// typed. Texts come from the data- attributes of the partial; results are built as DOM nodes, and
// an excerpt keeps only its text and Pagefind's <mark> elements.
(function () {
  "use strict";
  var box = document.querySelector("[data-vi-search]");
  var script = document.currentScript;
  if (!box || !script || !window.URL) return;
  var root = new URL("../", script.src);              // this edition's root: /, /en/ (or a copy's folder)
  var bundle = new URL("pagefind/pagefind.js", root).href;
  var offline = location.protocol === "file:";
  var input = box.querySelector(".vi-search__input");
  var form = box.querySelector(".vi-search__form");
  var opener = box.querySelector(".vi-search__open");
  var closer = box.querySelector(".vi-search__close");
  var results = box.querySelector(".vi-search__results");
  var status = box.querySelector(".vi-search__status");
  var list = box.querySelector(".vi-search__list");
  var more = box.querySelector(".vi-search__more");
  var PAGE = 8;
  var engine = null;   // a promise of the Pagefind module, made at the first keystroke
  var found = [];      // the current query's results, not yet shown ones included
  var shown = 0;
  var asked = 0;       // the number of the latest query: an older answer is dropped

  box.hidden = false;
  more.textContent = box.getAttribute("data-more");

  function words(name, query, count) {
    return box.getAttribute("data-" + name).replace("{q}", query).replace("{n}", String(count));
  }

  function load() {
    if (!engine && offline) {
      engine = offlineEngine();
    } else if (!engine) {
      engine = import(bundle).then(function (pagefind) {
        return Promise.resolve(pagefind.options({ baseUrl: root.pathname, excerptLength: 24 }))
          .then(function () { return pagefind; });
      });
    }
    return engine;
  }

  // Read from a file (the offline copy, handbook/offline.py), a page can neither import Pagefind's module
  // nor fetch its index: the copy has an index of its own, a script that sets window.viOfflineSearch
  // (title, headings, the start of the text and the words of every page, and a note on how it searches,
  // which the count is followed by), loaded with a script tag.
  // It answers as Pagefind does (results whose data() gives url, meta.title and an excerpt with <mark>),
  // so the results look the same. A word of the query finds a page with a word that begins with it, or
  // with its stem (the word without a common Swedish or English ending).
  var ENDINGS = ["arnas", "ernas", "ornas", "arna", "erna", "orna", "ande", "ende", "heten", "heter", "het", "ing",
                 "ies", "ens", "ets", "ers", "ars", "en", "et", "ar", "er", "or", "na", "es", "ed", "s", "a", "e"];

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function stem(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var end = ENDINGS[i];
      if (word.length - end.length >= 4 && word.slice(-end.length) === end) return word.slice(0, -end.length);
    }
    return word;
  }

  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function marked(text, stems) {
    var out = "", at = 0, pattern = /[\p{L}\p{N}_]+/gu, match;
    while ((match = pattern.exec(text))) {
      var folded = fold(match[0]);
      var hit = stems.some(function (s) { return folded.indexOf(s) === 0; });
      out += escapeText(text.slice(at, match.index)) + (hit ? "<mark>" + escapeText(match[0]) + "</mark>" : escapeText(match[0]));
      at = match.index + match[0].length;
    }
    return out + escapeText(text.slice(at));
  }

  function offlineEngine() {
    return new Promise(function (resolve, reject) {
      if (window.viOfflineSearch) { resolve(window.viOfflineSearch); return; }
      var tag = document.createElement("script");
      tag.src = new URL("assets/search-offline.js", root).href;
      tag.onload = function () { if (window.viOfflineSearch) resolve(window.viOfflineSearch); else reject(new Error("index")); };
      tag.onerror = function () { reject(new Error("index")); };
      document.head.appendChild(tag);
    }).then(function (index) {
      var pages = index.pages.map(function (p) {
        return { url: p[0], title: p[1], headings: p[2], excerpt: p[3], titleWords: " " + fold(p[1]).split(/[^\p{L}\p{N}_]+/u).join(" "),
                 headingWords: " " + fold(p[2]).split(/[^\p{L}\p{N}_]+/u).join(" "), words: " " + p[4] };
      });
      return {
        debouncedSearch: function (query) {
          var stems = fold(query).split(/[^\p{L}\p{N}_]+/u).filter(Boolean).map(stem);
          var hits = [];
          if (stems.length) {
            pages.forEach(function (page) {
              var score = 0;
              for (var i = 0; i < stems.length; i++) {
                var s = " " + stems[i];
                if (page.words.indexOf(s) < 0) return;
                score += 1 + (page.titleWords.indexOf(s) >= 0 ? 10 : 0) + (page.headingWords.indexOf(s) >= 0 ? 3 : 0);
              }
              hits.push({ page: page, score: score });
            });
          }
          hits.sort(function (a, b) { return b.score - a.score || a.page.title.localeCompare(b.page.title); });
          return Promise.resolve({ results: hits.map(function (hit) {
            var page = hit.page;
            var shown = page.excerpt;
            var heading = page.headings.split(" · ").filter(function (h) {
              return stems.some(function (s) { return (" " + fold(h)).indexOf(" " + s) >= 0; });
            })[0];
            if (heading) shown = heading + ": " + shown;
            return { data: function () {
              return Promise.resolve({ url: new URL(page.url, root).href, meta: { title: page.title },
                                       excerpt: marked(shown, stems) });
            } };
          }) });
        }
      };
    });
  }

  // Pagefind's excerpt is text with <mark> around the words found: parsed inertly, and only its text
  // and marks are kept, so nothing from a page's content can become markup here.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body.firstChild;
    var out = document.createElement("p");
    out.className = "vi-search__excerpt";
    (parsed ? parsed.childNodes : []).forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "vi-search__item";
    var link = document.createElement("a");
    link.className = "vi-search__link";
    link.href = data.url;
    var title = document.createElement("span");
    title.className = "vi-search__title";
    title.textContent = (data.meta && data.meta.title) || data.url;
    link.appendChild(title);
    link.appendChild(excerpt(data.excerpt || ""));
    li.appendChild(link);
    return li;
  }

  function showMore(number) {
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = true;
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (number !== asked) return;
      pages.forEach(function (data) { list.appendChild(item(data)); });
      more.hidden = shown >= found.length;
    });
  }

  function run() {
    var query = input.value.trim();
    var number = ++asked;
    if (!query) {
      results.hidden = true;
      list.textContent = "";
      return;
    }
    results.hidden = false;
    status.textContent = words("waiting", query, 0);
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 150);
    }).then(function (search) {
      if (!search || number !== asked) return;  // a later keystroke took over
      found = search.results;
      shown = 0;
      list.textContent = "";
      status.textContent = words(found.length === 0 ? "none" : found.length === 1 ? "one" : "other", query, found.length) +
        (offline && window.viOfflineSearch && window.viOfflineSearch.note ? " " + window.viOfflineSearch.note : "");
      return showMore(number);
    }).catch(function () {
      if (number === asked) status.textContent = words("failed", query, 0);
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".vi-search__link"));
  }

  function open() {
    box.classList.add("vi-search--open");
    opener.setAttribute("aria-expanded", "true");
    input.focus();
  }

  function close() {
    box.classList.remove("vi-search--open");
    opener.setAttribute("aria-expanded", "false");
    results.hidden = true;
    if (getComputedStyle(opener).display !== "none") opener.focus();
    else input.focus();
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", function () { if (input.value.trim()) results.hidden = false; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.focus();
  });
  opener.addEventListener("click", function () {
    if (box.classList.contains("vi-search--open")) close(); else open();
  });
  closer.addEventListener("click", function () {
    input.value = "";
    run();
    close();
  });
  more.addEventListener("click", function () {
    var before = links().length;
    showMore(asked).then(function () {
      var next = links()[before];
      if (next) next.focus();
    });
  });

  // Arrow keys move between the field and the results; Escape closes them and returns to the field.
  box.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
      if (all[at + 1]) all[at + 1].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : all[at - 1]).focus();
      event.preventDefault();
    } else if (event.key === "Escape") {
      if (!results.hidden) {
        results.hidden = true;
        input.focus();
      } else {
        close();
      }
      event.preventDefault();
    }
  });

  // A click or focus outside the search folds the results away; "/", "s" or "f" anywhere else goes
  // to the field (the keys of the theme's own search, which this one replaces).
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) results.hidden = true;
  });
  document.addEventListener("focusin", function (event) {
    if (!box.contains(event.target)) results.hidden = true;
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (/^[/sf]$/.test(event.key) && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      event.stopPropagation();
      open();
    }
  }, true);
})();
