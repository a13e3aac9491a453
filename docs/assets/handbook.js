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
