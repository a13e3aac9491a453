// Site-wide script, on every page.
// The head's hreflang links in full: a copy of the site that does not know its own address (a
// preview, an offline copy) is built with relative links; they are completed against the address
// the page is read from, as search engines expect (the published site has them in full already).
(function () {
  "use strict";
  var links = document.querySelectorAll('link[rel="alternate"][hreflang]');
  for (var i = 0; i < links.length; i++) {
    if (links[i].href && links[i].getAttribute("href") !== links[i].href) {
      links[i].setAttribute("href", links[i].href);
    }
  }
})();

// The data a tool reads (katalog.json), for the tools' scripts (directory.js, quality.js), which come after this one.
(function () {
  "use strict";
  // Fetched; read from a file (the offline copy, which cannot fetch),
  // from the script beside the file (katalog.js, handbook/offline.py), which hands it over by its address.
  window.viReadJson = function (src) {
    if (location.protocol !== "file:") {
      return fetch(src, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      });
    }
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = new URL(src.replace(/\.json$/, ".js"), location.href).href;
      tag.onload = function () {
        var data = window.viOfflineData && window.viOfflineData[tag.src];
        if (data) resolve(data); else reject(new Error(src));
      };
      tag.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(tag);
    });
  };
})();
