// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
});
// Print buttons: <button type="button" data-print>. No inline handlers: the Content-Security-Policy
// allows scripts from this server's files only.
document.addEventListener("click", (e) => {
  if (e.target instanceof Element && e.target.closest("[data-print]")) window.print();
});

// Map (Leaflet, embedded): features come from a GeoJSON endpoint given in data-features. With no
// tile server reachable the features still show on a blank background.
function tabaneEscape(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function tabaneMap(el) {
  if (!window.L) return;
  const map = L.map(el);
  L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>' }).addTo(map);
  let layer = null;
  let fitted = false;
  let seq = 0;
  const grades = ["#2e7d32", "#f9a825", "#ef6c00", "#b71c1c"];
  const colour = (p) => (p.layer === "cluster" ? (p.overdue ? "#b00020" : p.of === "asset" ? "#555555" : "#0b5cad") : p.layer === "asset" ? (p.grade ? grades[p.grade - 1] : "#555555") : p.overdue ? "#b00020" : p.open ? "#0b5cad" : "#0b6b2e");
  const form = document.querySelector("form[data-map-filter]");
  const filters = () => {
    const q = new URLSearchParams(el.dataset.query || "");
    if (form) new FormData(form).forEach((v, k) => (v === "" ? q.delete(k) : q.set(k, v)));
    return q;
  };
  // A cluster (集約) stands for many records: a numbered circle; selecting it zooms to its bounds,
  // and the map then asks again for the smaller viewport.
  const marker = (f, ll) => {
    const p = f.properties;
    if (p.layer !== "cluster") return L.circleMarker(ll, { radius: p.layer === "asset" ? 5 : 8, color: colour(p), fillOpacity: 0.8 });
    const zoomIn = () => map.fitBounds([[p.bounds[1], p.bounds[0]], [p.bounds[3], p.bounds[2]]], { padding: [24, 24], maxZoom: 18 });
    if (p.count === 1) return L.circleMarker(ll, { radius: p.of === "asset" ? 5 : 8, color: colour(p), fillOpacity: 0.8 }).on("click", zoomIn);
    const size = Math.round(Math.min(46, 24 + 7 * Math.log10(p.count)));
    const kind = p.of === "asset" ? " asset" : p.overdue ? " overdue" : "";
    const title = p.of === "asset" ? `施設 ${p.count} 件` : `作業 ${p.count} 件（対応中 ${p.open}・期限超過 ${p.overdue}）`;
    return L.marker(ll, { title, icon: L.divIcon({ className: "map-cluster" + kind, html: `<span>${p.count}</span>`, iconSize: [size, size] }) }).on("click", zoomIn);
  };
  let pending = null;
  const load = (withViewport) => {
    const q = filters();
    // About one cluster cell per 64 pixels, so numbered circles do not overlap.
    const size = map.getSize();
    q.set("grid", `${Math.max(1, Math.round(size.x / 64))},${Math.max(1, Math.round(size.y / 64))}`);
    if (withViewport) {
      const b = map.getBounds();
      q.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(4)).join(","));
    }
    // Only the newest question matters: an answer for a viewport already left is dropped.
    if (pending) pending.abort();
    pending = new AbortController();
    const mine = ++seq;
    fetch(el.dataset.features + "?" + q.toString(), { credentials: "same-origin", signal: pending.signal })
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json();
      })
      .then((g) => {
        if (mine !== seq) return;
        if (layer) layer.remove();
        layer = L.geoJSON(g, {
          pointToLayer: marker,
          onEachFeature: (f, l) => {
            const p = f.properties;
            if (p.layer === "cluster") return;
            l.bindPopup(`<a href="${tabaneEscape(p.url)}">${tabaneEscape(p.name)}</a><br>${tabaneEscape(p.status || p.kind)}${p.grade ? " 健全性" + ["I", "II", "III", "IV"][p.grade - 1] : ""} ${tabaneEscape(p.urgency || "")} ${tabaneEscape(p.owner || "")}`);
          },
        }).addTo(map);
        const features = g.features || [];
        el.dataset.count = String(features.filter((f) => f.properties.layer !== "cluster").length);
        el.dataset.clusters = String(features.filter((f) => f.properties.layer === "cluster").length);
        delete el.dataset.error;
        if (!fitted) {
          fitted = true;
          if (layer.getLayers().length) map.fitBounds(layer.getBounds().pad(0.1));
          else map.setView([34.68, 138.94], 12);
          follow();
        }
      })
      .catch((e) => {
        if (e.name === "AbortError") return;
        el.dataset.error = String(e.message || e);
        if (!fitted) {
          fitted = true;
          map.setView([34.68, 138.94], 12);
          follow();
        }
      });
  };
  // From now on the map asks for what it shows whenever it is panned or zoomed, a quarter
  // second after the movement stops (a drag fires many moves). The first fit is such a move,
  // so clusters follow the real viewport at once.
  let timer = null;
  const follow = () => {
    map.on("moveend", () => {
      clearTimeout(timer);
      timer = setTimeout(() => load(true), 250);
    });
    load(true);
  };
  load(false);
  if (form) form.addEventListener("change", () => load(fitted));
}
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-map]").forEach(tabaneMap));
