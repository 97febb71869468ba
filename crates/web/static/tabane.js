// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
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
  const grades = ["#2e7d32", "#f9a825", "#ef6c00", "#b71c1c"];
  const colour = (p) => (p.layer === "asset" ? (p.grade ? grades[p.grade - 1] : "#555555") : p.overdue ? "#b00020" : p.open ? "#0b5cad" : "#0b6b2e");
  const load = (query) => {
    fetch(el.dataset.features + (query ? "?" + query : ""), { credentials: "same-origin" })
      .then((r) => r.json())
      .then((g) => {
        if (layer) layer.remove();
        layer = L.geoJSON(g, {
          pointToLayer: (f, ll) => L.circleMarker(ll, { radius: f.properties.layer === "asset" ? 5 : 8, color: colour(f.properties), fillOpacity: 0.8 }),
          onEachFeature: (f, l) => {
            const p = f.properties;
            l.bindPopup(`<a href="${tabaneEscape(p.url)}">${tabaneEscape(p.name)}</a><br>${tabaneEscape(p.status || p.kind)}${p.grade ? " 健全性" + ["I", "II", "III", "IV"][p.grade - 1] : ""} ${tabaneEscape(p.urgency || "")} ${tabaneEscape(p.owner || "")}`);
          },
        }).addTo(map);
        el.dataset.count = String(layer.getLayers().length);
        if (layer.getLayers().length) map.fitBounds(layer.getBounds().pad(0.1));
        else map.setView([34.68, 138.94], 12);
      });
  };
  load(el.dataset.query || "");
  const form = document.querySelector("form[data-map-filter]");
  if (form) form.addEventListener("change", () => load(new URLSearchParams(new FormData(form)).toString()));
}
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-map]").forEach(tabaneMap));
