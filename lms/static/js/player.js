// Lecture player: resume where the learner left off and save the position while the video
// plays, only when it moved since the last save.
//
// - While playing: PUT /api/v1/lectures/<id>/progress every few seconds (data-save-every),
//   with the CSRF token in the X-CSRFToken header (window.lmsFetch).
// - On play, seeking and the end: the same PUT at once (the server counts watched time
//   between saves, so the save when playing starts matters). Completion is the server's.
// - On pause and when the page is hidden or left: navigator.sendBeacon, which survives the
//   page going away. A beacon cannot carry headers, so it posts a form to
//   /courses/lectures/<id>/position whose csrf_token field the server's usual CSRF check
//   reads. Without sendBeacon, fetch with keepalive and the header does the same.
//
// The server allows no faster playback than data-max-rate; the player holds the video to it.
(function () {
  var video = document.getElementById("player");
  if (!video) { return; }
  var url = video.getAttribute("data-progress-url");
  var beaconUrl = video.getAttribute("data-beacon-url");
  var record = video.getAttribute("data-record") === "1";
  var resume = parseInt(video.getAttribute("data-resume") || "0", 10);
  var every = Math.max(5, parseInt(video.getAttribute("data-save-every") || "30", 10)) * 1000;
  var maxRate = parseFloat(video.getAttribute("data-max-rate") || "2");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var lastSaved = -1;

  function seekToResume() {
    if (resume > 0 && (!video.duration || resume < video.duration - 2)) {
      video.currentTime = resume;
    }
  }
  // The metadata may already be there when this script runs (a cached or quick file), and then
  // "loadedmetadata" has fired before anyone listened.
  if (video.readyState >= 1) { seekToResume(); }
  else { video.addEventListener("loadedmetadata", seekToResume, { once: true }); }

  video.addEventListener("ratechange", function () {
    if (video.playbackRate > maxRate) { video.playbackRate = maxRate; }
  });

  function position() { return Math.floor(video.currentTime || 0); }

  function duration() {
    return video.duration && isFinite(video.duration) ? Math.max(1, Math.round(video.duration)) : null;
  }

  function save() {
    if (!record) { return; }
    var at = position();
    if (at === lastSaved) { return; }
    var body = { position_seconds: at };
    var length = duration();
    if (length) { body.duration_seconds = length; }
    lastSaved = at;
    window.lmsFetch(url, { method: "PUT", json: body }).catch(function () {
      lastSaved = -1; // try again on the next tick
    });
  }

  function sendLast() {
    if (!record) { return; }
    var at = position();
    if (at === lastSaved) { return; }
    lastSaved = at;
    var token = tokenMeta ? tokenMeta.content : "";
    if (navigator.sendBeacon) {
      var form = new URLSearchParams();
      form.append("csrf_token", token);
      form.append("position_seconds", String(at));
      if (navigator.sendBeacon(beaconUrl, form)) { return; }
    }
    window.lmsFetch(url, { method: "PUT", json: { position_seconds: at }, keepalive: true });
  }

  setInterval(function () { if (!video.paused) { save(); } }, every);
  video.addEventListener("play", save);
  video.addEventListener("seeked", save);
  video.addEventListener("ended", save); // the server decides whether that is watched
  video.addEventListener("pause", function () { if (!video.ended) { sendLast(); } });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { sendLast(); }
  });
  window.addEventListener("pagehide", sendLast);
})();
