// H5P activities on a lesson page (site origin). Each activity is a sandboxed
// frame on the content origin; this script is the only bridge: it accepts
// messages from its own frames (checked by event.source, origin "null" and
// message shape), forwards xAPI statements and resume state to the server with
// the learner's session and CSRF token, and keeps unsent statements in a
// queue that survives a flaky connection and a page reload.
(function () {
  "use strict";
  if (window.__platformH5P) return;
  window.__platformH5P = true;

  var PROTOCOL = "h5p-platform-v1";
  var QUEUE_KEY = "platform-h5p-queue-v1";
  var MAX_STATEMENT = 64 * 1024;
  var MAX_STATE = 256 * 1024;
  var KEEPALIVE_BUDGET = 60 * 1024;
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-h5p-launch]"));
  }

  function frameFor(source) {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (list[i].contentWindow === source) return list[i];
    }
    return null;
  }

  function settings(frame) {
    return {
      launch: frame.getAttribute("data-h5p-launch"),
      xapiUrl: frame.getAttribute("data-h5p-xapi-url"),
      stateUrl: frame.getAttribute("data-h5p-state-url"),
      csrf: frame.getAttribute("data-h5p-csrf"),
      status: frame.parentNode.querySelector("[data-h5p-status]"),
    };
  }

  // ------------------------------------------------------------ queue
  var queue = [];
  try {
    queue = JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "[]");
    if (!Array.isArray(queue)) queue = [];
  } catch (error) {
    queue = [];
  }
  var pendingState = {}; // launch -> {url, csrf, data}
  var delay = 1000;
  var timer = null;
  var sending = false;

  function persist() {
    try {
      window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    } catch (error) {
      /* private mode: the in-memory queue still works */
    }
  }

  function enqueue(item) {
    queue.push(item);
    persist();
    flush();
  }

  function retryLater() {
    if (timer) return;
    var wait = delay + Math.floor(Math.random() * 500);
    delay = Math.min(delay * 2, 60000);
    timer = window.setTimeout(function () {
      timer = null;
      flush();
    }, wait);
  }

  function post(url, csrf, body, keepalive) {
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
  }

  function currentCsrf(stored) {
    // A statement kept from an earlier visit goes out with this page's token:
    // the one it was queued with may have been rotated by a new login.
    var frame = frames()[0];
    return (frame && frame.getAttribute("data-h5p-csrf")) || stored;
  }

  function readBody(response) {
    return response
      .json()
      .catch(function () {
        return null;
      })
      .then(function (body) {
        return { status: response.status, body: isPlainObject(body) ? body : null };
      });
  }

  function worthRetrying(answer) {
    // Retrying helps when the server or the way to it failed, when it asked
    // for patience, or when the session (or its CSRF token) is to be renewed:
    // Django's CSRF refusal is a page, not one of this endpoint's answers.
    // Any other answer is final: the statement was stored (or already was),
    // or refused for what it is, and sending it again cannot change that.
    var status = answer.status;
    if (status >= 500 || status === 408 || status === 429 || status === 401) return true;
    if (status === 403) return !answer.body || answer.body.error === "login-required";
    return false;
  }

  function flush() {
    // One request at a time from this page, statements first, then the
    // latest resume state: the order is kept and the server is not flooded.
    if (sending) return;
    if (navigator.onLine === false) return;
    if (queue.length) {
      var item = queue[0];
      sending = true;
      post(item.url, currentCsrf(item.csrf), { launch: item.launch, statements: [item.statement] })
        .then(readBody)
        .then(function (answer) {
          sending = false;
          if (worthRetrying(answer)) throw new Error("retry " + answer.status);
          if (queue[0] === item) queue.shift();
          persist();
          delay = 1000;
          if (answer.status === 200 && answer.body) showProgress(item.launch, answer.body);
          flush();
        })
        .catch(function () {
          sending = false;
          retryLater();
        });
      return;
    }
    var launches = Object.keys(pendingState);
    if (!launches.length) return;
    var launch = launches[0];
    var state = pendingState[launch];
    sending = true;
    post(state.url, state.csrf, { launch: launch, data: state.data })
      .then(function (response) {
        sending = false;
        if (response.status >= 500) throw new Error("server " + response.status);
        if (pendingState[launch] === state) delete pendingState[launch];
        delay = 1000;
        flush();
      })
      .catch(function () {
        sending = false;
        retryLater();
      });
  }

  function flushKeepalive() {
    // The page is going away: send what is left in as few requests as the
    // keepalive budget allows. The queue stays stored; the server counts a
    // statement it already has once, so a resend on the next visit is safe.
    var groups = {};
    queue.forEach(function (item) {
      var key = item.url + " " + item.launch;
      (groups[key] = groups[key] || { item: item, statements: [] }).statements.push(item.statement);
    });
    var budget = KEEPALIVE_BUDGET;
    Object.keys(groups).forEach(function (key) {
      var group = groups[key];
      var body = { launch: group.item.launch, statements: group.statements.slice(0, 20) };
      var size = JSON.stringify(body).length;
      if (size > budget) return;
      budget -= size;
      try {
        post(group.item.url, currentCsrf(group.item.csrf), body, true).catch(function () {});
      } catch (error) {
        /* nothing more can be done while unloading */
      }
    });
    Object.keys(pendingState).forEach(function (launch) {
      var state = pendingState[launch];
      var body = { launch: launch, data: state.data };
      if (JSON.stringify(body).length > budget) return;
      try {
        post(state.url, state.csrf, body, true).catch(function () {});
      } catch (error) {
        /* ignore */
      }
    });
  }

  function saveState(frameSettings, data) {
    pendingState[frameSettings.launch] = {
      url: frameSettings.stateUrl,
      csrf: frameSettings.csrf,
      data: data,
    };
    flush();
  }

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // --------------------------------------------------------- progress
  // The server's answer to a statement says what the lesson page shows of
  // the learner's progress; the page takes it over without a reload.
  function frameForLaunch(launch) {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (list[i].getAttribute("data-h5p-launch") === launch) return list[i];
    }
    return null;
  }

  function showActivity(frame, activity) {
    if (!frame || !isPlainObject(activity) || typeof activity.summary !== "string") return;
    var section = frame.parentNode;
    var note = section.querySelector(".h5p-activity-result");
    if (!note) {
      note = document.createElement("p");
      note.className = "h5p-activity-result";
      frame.insertAdjacentElement("afterend", note);
    }
    note.setAttribute("role", "status");
    note.textContent = activity.summary;
  }

  function showLesson(lesson) {
    if (!isPlainObject(lesson)) return;
    var percent = Number(lesson.percent);
    if (isFinite(percent) && percent >= 0 && percent <= 100) {
      document.querySelectorAll(".course-progress").forEach(function (box) {
        var bar = box.querySelector("[role=progressbar]");
        if (bar) {
          bar.setAttribute("aria-valuenow", String(percent));
          var fill = bar.querySelector("span");
          if (fill) fill.style.width = percent + "%";
        }
        var label = box.querySelector(".progress-label");
        if (label && typeof lesson.percent_label === "string") {
          label.textContent = lesson.percent_label;
        }
      });
    }
    if (lesson.completed !== true) return;
    var meta = document.querySelector("[data-lesson-meta]");
    if (meta && !meta.querySelector(".badge-success")) {
      var badge = document.createElement("span");
      badge.className = "badge badge-success";
      badge.textContent = "\u2713 " + String(lesson.completed_label || "");
      meta.appendChild(document.createTextNode(" \u00b7 "));
      meta.appendChild(badge);
    }
    document.querySelectorAll("[data-lesson-activities-note]").forEach(function (note) {
      note.hidden = true;
    });
  }

  function showProgress(launch, body) {
    showActivity(frameForLaunch(launch), body.activity);
    showLesson(body.lesson);
  }

  // --------------------------------------------------------- messages

  window.addEventListener("message", function (event) {
    var frame = frameFor(event.source);
    if (!frame) return; // not one of this page's activity frames
    if (event.origin !== "null") return; // every player frame is sandboxed
    var message = event.data;
    if (!isPlainObject(message) || message.protocol !== PROTOCOL) return;
    var config = settings(frame);
    if (message.type === "resize") {
      var height = Number(message.height);
      if (isFinite(height) && height > 0) {
        frame.style.height = Math.min(Math.max(Math.ceil(height), 120), 6000) + "px";
      }
    } else if (message.type === "xapi") {
      var statement = message.statement;
      if (!isPlainObject(statement) || typeof statement.id !== "string" || !UUID.test(statement.id)) return;
      if (!isPlainObject(statement.verb) || typeof statement.verb.id !== "string") return;
      if (JSON.stringify(statement).length > MAX_STATEMENT) return;
      enqueue({ url: config.xapiUrl, csrf: config.csrf, launch: config.launch, statement: statement });
    } else if (message.type === "state") {
      if (typeof message.data !== "string" || message.data.length > MAX_STATE) return;
      saveState(config, message.data);
    } else if (message.type === "ready") {
      frame.setAttribute("data-h5p-ready", "true");
      if (config.status) config.status.hidden = true;
    } else if (message.type === "error") {
      frame.setAttribute("data-h5p-error", "true");
    }
  });

  window.addEventListener("online", function () {
    delay = 1000;
    flush();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushKeepalive();
  });
  window.addEventListener("pagehide", flushKeepalive);

  // Statements left from an earlier visit go out now.
  flush();
})();
