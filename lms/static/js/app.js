// Small progressive enhancements; every page works without them. No inline script anywhere:
// pages ask for behaviour with data attributes, handled here.
(function () {
  // Ask before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // Print buttons: <button type="button" data-print hidden>; shown only where they work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // The main navigation: the phone's "菜单" button on small screens, a side menu always
  // shown on a desk's wide screen (app.css lays it out for body[data-nav=side]).
  var menu = document.querySelector("details.menu");
  var wide = window.matchMedia("(min-width: 1024px)");
  function placeNavigation() {
    if (!menu) { return; }
    if (wide.matches) {
      menu.setAttribute("open", "");
      document.body.setAttribute("data-nav", "side");
    } else if (document.body.getAttribute("data-nav") === "side") {
      menu.removeAttribute("open");
      document.body.removeAttribute("data-nav");
    }
  }
  placeNavigation();
  if (wide.addEventListener) { wide.addEventListener("change", placeNavigation); }

  // Close the phone menu when tapping elsewhere.
  document.addEventListener("click", function (event) {
    if (document.body.getAttribute("data-nav") === "side") { return; }
    document.querySelectorAll("details.menu[open]").forEach(function (open) {
      if (!open.contains(event.target)) { open.removeAttribute("open"); }
    });
  });

  // A table wider than the screen scrolls sideways: let the keyboard reach and scroll it too.
  // Templates may mark the wrapper themselves (tabindex="0" role="region" aria-label="…").
  function labelFor(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var heading = wrap.closest("section, main");
    heading = heading && heading.querySelector("h2, h1");
    return heading ? heading.textContent.trim() : document.title;
  }
  function reachScrollingTables() {
    document.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", labelFor(wrap));
      }
    });
  }
  reachScrollingTables();
  window.addEventListener("resize", reachScrollingTables);

  // fetch() helper for pages that call the JSON API with the session cookie.
  window.lmsFetch = function (url, options) {
    options = options || {};
    options.headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token && options.method && options.method !== "GET") { options.headers["X-CSRFToken"] = token.content; }
    if (options.json !== undefined) {
      options.body = JSON.stringify(options.json);
      options.headers["Content-Type"] = "application/json";
      delete options.json;
    }
    options.credentials = "same-origin";
    return fetch(url, options);
  };
})();
