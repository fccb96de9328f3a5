// The H5P player inside the sandboxed frame (opaque origin, no cookies).
// It renders the content with h5p-standalone's div embed and reports to the
// lesson page only through postMessage: xAPI statements, resume state and
// the height it needs.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("h5p-config").textContent);
  var PROTOCOL = "h5p-platform-v1";

  // An opaque origin has no Web Storage: reading window.localStorage throws,
  // and H5P core reads it unguarded while starting. Give it a stand-in that
  // lives as long as the page.
  function MemoryStorage() {
    var data = Object.create(null);
    return {
      getItem: function (key) {
        key = String(key);
        return key in data ? data[key] : null;
      },
      setItem: function (key, value) { data[String(key)] = String(value); },
      removeItem: function (key) { delete data[String(key)]; },
      clear: function () { data = Object.create(null); },
      key: function (index) { return Object.keys(data)[index] || null; },
      get length() { return Object.keys(data).length; },
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    var usable = false;
    try {
      usable = !!window[name];
    } catch (error) {
      usable = false;
    }
    if (!usable) {
      Object.defineProperty(window, name, {
        value: new MemoryStorage(),
        configurable: true,
      });
    }
  });

  function post(message) {
    message.protocol = PROTOCOL;
    window.parent.postMessage(message, config.parentOrigin);
  }

  function uuid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // Height: the lesson page sizes the frame to its content.
  var lastHeight = 0;
  function reportHeight() {
    // The content's own height: the document's scrollHeight never drops
    // below the frame's current height, so the frame could only grow.
    var height = 0;
    Array.prototype.forEach.call(document.body.children, function (child) {
      if (child.tagName === "SCRIPT" || child.hidden) return;
      var box = child.getBoundingClientRect();
      // Content that overflows its box (navigation dots, shadows) counts too.
      height = Math.max(height, box.bottom, box.top + child.scrollHeight);
    });
    height = Math.ceil(height + window.scrollY) + 4;
    if (height !== lastHeight) {
      lastHeight = height;
      post({ type: "resize", height: height });
    }
  }
  if (window.ResizeObserver) {
    // The body keeps the frame's height (H5P's frame styles), so watch the
    // content itself.
    var observer = new ResizeObserver(reportHeight);
    observer.observe(document.getElementById("h5p-container"));
    observer.observe(document.body);
  }
  window.addEventListener("load", reportHeight);

  // Fetches from the player go to the content origin with no credentials.
  window.H5PIntegration = {
    crossorigin: "anonymous",
    baseUrl: config.origin,
    siteUrl: config.origin,
  };

  function fail(error) {
    document.getElementById("h5p-error").hidden = false;
    reportHeight();
    post({ type: "error", message: String(error && error.message ? error.message : error).slice(0, 200) });
  }

  var options = {
    id: config.contentId,
    title: config.title,
    h5pJsonPath: config.h5pJsonPath,
    contentJsonPath: config.contentJsonPath,
    librariesPath: config.librariesPath,
    frameJs: config.frameJs,
    frameCss: config.frameCss,
    embedType: "div",
    // h5p-standalone must not start H5P: the xAPI listener has to be in
    // place first, or the statements sent during start-up are lost.
    preventH5PInit: false,
    frame: false,
    copyright: false,
    export: false,
    embed: false,
    icon: false,
    fullScreen: true,
    saveFreq: config.saveFreq,
    xAPIObjectIRI: config.objectIri,
    assetsRequestFetchOptions: { credentials: "omit", mode: "cors" },
  };
  if (config.state) {
    options.contentUserData = [{ state: config.state }];
  }

  var lastState = config.state || null;
  function sendState(data) {
    var text;
    try {
      text = typeof data === "string" ? data : JSON.stringify(data);
    } catch (error) {
      return;
    }
    if (!text || text === lastState) return;
    lastState = text;
    post({ type: "state", data: text });
  }

  function start() {
    var H5P = window.H5P;
    H5P.externalDispatcher.on("xAPI", function (event) {
      var statement;
      try {
        statement = JSON.parse(JSON.stringify(event.data.statement));
      } catch (error) {
        return;
      }
      statement.id = uuid();
      if (!statement.timestamp) statement.timestamp = new Date().toISOString();
      delete statement.actor; // the lesson page's session says who the learner is
      post({ type: "xapi", statement: statement });
    });
    var setUserData = H5P.setUserData;
    H5P.setUserData = function (contentId, dataId, data, extras) {
      var sub = extras && extras.subContentId ? extras.subContentId : 0;
      if (dataId === "state" && !sub) sendState(data);
      return setUserData.apply(this, arguments);
    };
    H5P.init();
    H5P.preventInit = false;
    if (H5P.instances && H5P.instances[0] && H5P.instances[0].on) {
      H5P.instances[0].on("resize", reportHeight);
    }
    reportHeight();
    post({ type: "ready" });
  }

  // Save when the frame is about to go away too.
  window.addEventListener("pagehide", function () {
    var H5P = window.H5P;
    var instance = H5P && H5P.instances && H5P.instances[0];
    if (instance && typeof instance.getCurrentState === "function") {
      try {
        sendState(instance.getCurrentState());
      } catch (error) {
        /* nothing to save */
      }
    }
  });

  try {
    new window.H5PStandalone.H5P(document.getElementById("h5p-container"), options)
      .then(start)
      .catch(fail);
  } catch (error) {
    fail(error);
  }
})();
