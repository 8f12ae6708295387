// Starts Swagger UI on /api/v1/docs. A file of its own: the Content-Security-Policy allows
// no inline script, on this page as on every other.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: root.dataset.specUrl, dom_id: "#swagger-ui" });
});
