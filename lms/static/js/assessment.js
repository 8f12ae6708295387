// The sitting page's clock: counts down the seconds the server gave (data-seconds-left) and
// reloads when they are gone, so the server closes the paper and shows the result. The
// server keeps the time; this only shows it.
(function () {
  var clock = document.querySelector("[data-seconds-left]");
  if (!clock) { return; }
  var left = parseInt(clock.getAttribute("data-seconds-left"), 10) || 0;
  var until = Date.now() + left * 1000;
  function show() {
    var seconds = Math.max(0, Math.round((until - Date.now()) / 1000));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (seconds === 0) { window.location.reload(); return; }
    window.setTimeout(show, 1000);
  }
  show();
})();
