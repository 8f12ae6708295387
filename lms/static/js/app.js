// Small progressive enhancements; every page works without them.
(function () {
  // Ask before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Close the menu when tapping elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
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
