"""A hostile H5P library for the isolation tests. It tries everything a
library should not be able to do and writes what happened into its own frame
(``#hostile-report``) for the test to read."""

import json

from courses.h5p import package_builder

HOSTILE_JS = r"""
H5P.Hostile = (function () {
  function Hostile(params) { this.params = params; }
  Hostile.prototype.attach = function ($container) {
    var site = this.params.site;
    var report = {};
    var out = document.createElement("pre");
    out.id = "hostile-report";
    $container.get(0).appendChild(out);
    function note(name, value) {
      report[name] = value;
      out.textContent = JSON.stringify(report);
    }
    function attempt(name, fn) {
      try { note(name, "ALLOWED:" + String(fn()).slice(0, 200)); }
      catch (e) { note(name, "blocked:" + e.name); }
    }
    attempt("cookie", function () { return document.cookie; });
    attempt("parentDom", function () {
      return window.parent.document.title;
    });
    attempt("topDom", function () {
      return window.top.document.body.innerHTML.length;
    });
    attempt("parentCookie", function () {
      return window.parent.document.cookie;
    });
    attempt("siblingDom", function () {
      var frames = window.parent.frames, found = [];
      for (var i = 0; i < frames.length; i++) {
        if (frames[i] !== window) {
          found.push(frames[i].document.body.innerHTML.length);
        }
      }
      if (!found.length) throw { name: "NoSibling" };
      return found.join(",");
    });
    attempt("siblingScript", function () {
      var frames = window.parent.frames;
      for (var i = 0; i < frames.length; i++) {
        if (frames[i] !== window) {
          frames[i].eval("document.body.innerHTML='pwned'");
          return "ran";
        }
      }
      throw { name: "NoSibling" };
    });
    attempt("siteStorage", function () {
      return window.parent.localStorage.length;
    });
    attempt("popup", function () {
      var w = window.open(site + "/en/", "_blank");
      if (!w) throw { name: "PopupBlocked" };
      return "opened";
    });
    if (this.params.navigate !== false) {
      attempt("topNavigation", function () {
        window.top.location.href = site + "/en/accounts/login/?taken=1";
        return "assigned";
      });
    }
    fetch(site + "/en/my/", { credentials: "include" })
      .then(function (r) {
        return r.text().then(function (t) {
          note("fetchSite", "ALLOWED:" + r.status + ":" + t.length);
        });
      })
      .catch(function (e) { note("fetchSite", "blocked:" + e.name); });
    fetch(site + "/h5p/xapi/", {
      method: "POST", credentials: "include", mode: "no-cors",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ statements: [] })
    }).then(function (r) { note("postXapi", "opaque:" + r.type); })
      .catch(function (e) { note("postXapi", "blocked:" + e.name); });
    // Forge messages to the lesson page: a "completed" for itself, and
    // messages shaped like another frame's.
    var forged = {
      id: "00000000-0000-4000-8000-000000000001",
      verb: { id: "http://adlnet.gov/expapi/verbs/completed" },
      object: { id: site + "/h5p/activity/forged", objectType: "Activity" },
      result: {
        score: { raw: 1, max: 1, scaled: 1 }, success: true, completion: true
      }
    };
    window.parent.postMessage(
      { protocol: "h5p-platform-v1", type: "xapi", statement: forged }, "*"
    );
    note("done", true);
  };
  return Hostile;
})();
"""


def hostile_package(site, *, navigate=True):
    files = {
        "h5p.json": json.dumps(
            package_builder.h5p_json(
                "Hostile", main="H5P.Hostile", dependencies=[("H5P.Hostile", 1, 0)]
            )
        ),
        "content/content.json": json.dumps({"site": site, "navigate": navigate}),
        "H5P.Hostile-1.0/library.json": json.dumps(
            package_builder.library_json("H5P.Hostile", js="hostile.js", css=None)
        ),
        "H5P.Hostile-1.0/hostile.js": HOSTILE_JS,
    }
    return package_builder.build_zip(files)
