// Lecture player: resume where the learner left off and save the position every few
// seconds (and when the page is hidden) through PUT /api/v1/lectures/<id>/progress.
(function () {
  var video = document.getElementById("player");
  if (!video) { return; }
  var url = video.getAttribute("data-progress-url");
  var record = video.getAttribute("data-record") === "1";
  var resume = parseInt(video.getAttribute("data-resume") || "0", 10);
  var every = Math.max(3, parseInt(video.getAttribute("data-save-every") || "10", 10)) * 1000;
  var lastSaved = -1;

  video.addEventListener("loadedmetadata", function () {
    if (resume > 0 && (!video.duration || resume < video.duration - 2)) {
      video.currentTime = resume;
    }
  });

  function save(completed, useBeacon) {
    if (!record) { return; }
    var position = Math.floor(video.currentTime || 0);
    if (!completed && position === lastSaved) { return; }
    var body = { position_seconds: position, completed: !!completed };
    if (video.duration && isFinite(video.duration)) { body.duration_seconds = Math.max(1, Math.round(video.duration)); }
    lastSaved = position;
    window.lmsFetch(url, { method: "PUT", json: body, keepalive: !!useBeacon }).catch(function () {
      lastSaved = -1; // try again on the next tick
    });
  }

  setInterval(function () { if (!video.paused) { save(false); } }, every);
  video.addEventListener("pause", function () { save(false); });
  video.addEventListener("seeked", function () { if (video.paused) { save(false); } });
  video.addEventListener("ended", function () { save(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(false, true); }
  });
})();
