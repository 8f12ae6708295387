// Instructor's check-in screen: fetch a fresh QR code, code and the list every few seconds.
(function () {
  var root = document.getElementById("screen");
  if (!root) { return; }
  var url = root.getAttribute("data-state-url");
  var every = Math.max(2, parseInt(root.getAttribute("data-refresh"), 10) || 3) * 1000;
  var qr = document.getElementById("qr");
  var code = document.getElementById("code");
  var count = document.getElementById("count");
  var seated = document.getElementById("seated");
  var people = document.getElementById("people");
  var closed = document.getElementById("closed");
  var lastToken = null;

  function render(state) {
    if (state.token !== lastToken) { qr.innerHTML = state.qr; lastToken = state.token; }
    code.textContent = state.code;
    count.textContent = state.count;
    seated.textContent = state.seated;
    closed.hidden = !!state.open;
    people.innerHTML = "";
    state.people.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.name + " ";
      var small = document.createElement("small");
      small.textContent = p.at + (p.status === "late" ? " " + p.status_label : "");
      li.appendChild(small);
      people.appendChild(li);
    });
  }

  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) { if (state) { render(state); } })
      .catch(function () {})
      .then(function () { setTimeout(tick, every); });
  }
  setTimeout(tick, every);

  var button = document.getElementById("fullscreen");
  if (button && document.documentElement.requestFullscreen) {
    button.addEventListener("click", function () { document.documentElement.requestFullscreen(); });
  } else if (button) { button.hidden = true; }
})();
