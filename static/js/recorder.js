// The recorder on a rendering's recording page: record from the microphone with
// MediaRecorder, then hand the recording to the page's ordinary file form, which sends
// it for listening back. Without a microphone or MediaRecorder the file form alone is
// shown, and it works the same way.
(function () {
  var form = document.getElementById("recorder-form");
  if (!form || !window.MediaRecorder || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia || typeof DataTransfer === "undefined") {
    return;
  }
  var panel = form.querySelector("[data-recorder]");
  var start = form.querySelector("[data-record-start]");
  var stop = form.querySelector("[data-record-stop]");
  var clock = form.querySelector("[data-record-time]");
  var status = form.querySelector("[data-record-status]");
  var input = form.querySelector("input[type=file]");
  var limit = parseInt(form.getAttribute("data-max-seconds"), 10) || 60;
  var recorder = null;
  var timer = null;
  panel.hidden = false;

  function say(name) { status.textContent = form.getAttribute(name) || ""; }

  function chooseType() {
    var types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
    for (var i = 0; i < types.length; i++) {
      if (MediaRecorder.isTypeSupported(types[i])) { return types[i]; }
    }
    return "";
  }

  function extension(type) {
    if (type.indexOf("ogg") >= 0) { return "ogg"; }
    if (type.indexOf("mp4") >= 0) { return "m4a"; }
    return "webm";
  }

  function tick(started) {
    var seconds = Math.floor((Date.now() - started) / 1000);
    clock.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    if (seconds >= limit && recorder && recorder.state === "recording") { recorder.stop(); }
  }

  function send(chunks, type) {
    var blob = new Blob(chunks, { type: type || "audio/webm" });
    var file = new File([blob], "recording." + extension(blob.type), { type: blob.type });
    var transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    say("data-msg-sending");
    form.requestSubmit();
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var chunks = [];
      var type = chooseType();
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (event) {
        if (event.data && event.data.size) { chunks.push(event.data); }
      });
      recorder.addEventListener("stop", function () {
        clearInterval(timer);
        stream.getTracks().forEach(function (track) { track.stop(); });
        start.disabled = false;
        stop.disabled = true;
        send(chunks, recorder.mimeType);
      });
      var started = Date.now();
      recorder.start(250);
      timer = setInterval(function () { tick(started); }, 250);
      start.disabled = true;
      stop.disabled = false;
      say("data-msg-recording");
      stop.focus();
    }).catch(function () { say("data-msg-denied"); });
  });

  stop.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") { recorder.stop(); }
  });
})();
