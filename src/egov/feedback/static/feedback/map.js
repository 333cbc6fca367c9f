/* Citizen reports: pick the place on the server-drawn map, use the phone's position, zoom.
   The page works without this file: the coordinates, commune and address fields stay. */
(function () {
  "use strict";
  var TILE = 256;

  function scale(svg) { return TILE * Math.pow(2, Number(svg.dataset.zoom)); }

  /* Drawn relative to the view's corner (data-left, data-top: Web Mercator pixels). */
  function toLatLon(svg, x, y) {
    var s = scale(svg);
    x += Number(svg.dataset.left);
    y += Number(svg.dataset.top);
    var lon = x / s * 360 - 180;
    var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y / s))) * 180 / Math.PI;
    return [lat, lon];
  }

  function toXY(svg, lat, lon) {
    var s = scale(svg);
    var sin = Math.sin(lat * Math.PI / 180);
    return [
      (lon + 180) / 360 * s - Number(svg.dataset.left),
      (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * s - Number(svg.dataset.top)
    ];
  }

  function say(status, key) {
    if (status) { status.textContent = status.dataset[key] || ""; }
  }

  function locate(status, done) {
    if (!navigator.geolocation) { say(status, "failed"); return; }
    say(status, "locating");
    navigator.geolocation.getCurrentPosition(
      function (position) { done(position.coords.latitude, position.coords.longitude); },
      function () { say(status, "failed"); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  function picker() {
    var tools = document.querySelector(".fb-map-tools");
    if (!tools) { return; }
    var svg = document.getElementById("fb-picker");  /* absent without boundaries or tiles */
    var latInput = document.getElementById("id_latitude");
    var lonInput = document.getElementById("id_longitude");
    var source = document.getElementById("id_place_source");
    var status = tools.querySelector(".fb-locate-status");
    var marker = svg ? svg.querySelector(".fb-picked") : null;
    var original = svg ? svg.getAttribute("viewBox").split(" ").map(Number) : null;

    function show(lat, lon) {
      if (!svg) { return; }
      if (isNaN(lat) || isNaN(lon)) { marker.setAttribute("visibility", "hidden"); return; }
      var p = toXY(svg, lat, lon);
      marker.setAttribute("cx", p[0].toFixed(1));
      marker.setAttribute("cy", p[1].toFixed(1));
      marker.setAttribute("visibility", "visible");
    }

    function choose(lat, lon, how) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      source.value = how;
      show(lat, lon);
    }

    function zoom(step, around) {
      var box = svg.getAttribute("viewBox").split(" ").map(Number);
      var factor = step > 0 ? 0.5 : 2;
      var width = Math.min(original[2], Math.max(original[2] / 64, box[2] * factor));
      var height = width * original[3] / original[2];
      var cx = around ? around[0] : box[0] + box[2] / 2;
      var cy = around ? around[1] : box[1] + box[3] / 2;
      svg.setAttribute("viewBox", [cx - width / 2, cy - height / 2, width, height].map(function (v) { return v.toFixed(1); }).join(" "));
      marker.setAttribute("r", (12 * width / original[2]).toFixed(2));
    }

    tools.querySelector(".fb-locate").addEventListener("click", function () {
      locate(status, function (lat, lon) {
        choose(lat, lon, "device");
        if (svg) { zoom(1, toXY(svg, lat, lon)); }
        say(status, "done");
      });
    });
    tools.hidden = false;
    if (!svg) { return; }
    svg.addEventListener("click", function (event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var inner = point.matrixTransform(svg.getScreenCTM().inverse());
      var latLon = toLatLon(svg, inner.x, inner.y);
      choose(latLon[0], latLon[1], "map");
    });
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () {
        source.value = "map";
        show(parseFloat(latInput.value), parseFloat(lonInput.value));
      });
    });
    tools.querySelectorAll(".fb-zoom").forEach(function (button) {
      button.addEventListener("click", function () {
        var visible = marker.getAttribute("visibility") === "visible";
        var around = visible ? [Number(marker.getAttribute("cx")), Number(marker.getAttribute("cy"))] : null;
        zoom(Number(button.dataset.step), around);
      });
    });
    show(parseFloat(latInput.value), parseFloat(lonInput.value));
  }

  function nearMe() {
    var button = document.querySelector(".fb-near-me");
    if (!button || !navigator.geolocation) { return; }
    var form = button.closest("form");
    var status = form.querySelector(".fb-locate-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      locate(status, function (lat, lon) {
        form.querySelector("[name=lat]").value = lat.toFixed(6);
        form.querySelector("[name=lon]").value = lon.toFixed(6);
        form.submit();
      });
    });
  }

  picker();
  nearMe();
}());
