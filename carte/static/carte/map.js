// Agora maps (issue 5): Leaflet from django-leaflet's static files, configured by
// a json_script element (carte/includes/map.html, carte.maps.map_context).
// A deferred ES module: no inline script, no inline style attribute (CSP).
// point_picker.js imports loadLeaflet() and baseMap() from here.

function addStylesheet(href) {
  if (document.querySelector(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`)) {
    return;
  }
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

/**
 * Load Leaflet once per page, whatever the number of maps. The promise lives on
 * window: with hashed static names this module may load twice (map.html asks
 * for map.<hash>.js, point_picker.js imports ./map.js).
 */
export function loadLeaflet(config) {
  addStylesheet(config.leaflet.css);
  if (window.L) {
    return Promise.resolve(window.L);
  }
  window.agoraLeaflet ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = config.leaflet.js;
    script.addEventListener("load", () => resolve(window.L));
    script.addEventListener("error", () => reject(new Error(`${script.src} failed`)));
    document.head.append(script);
  });
  return window.agoraLeaflet;
}

/** The parsed configuration of a json_script element, or null. */
export function readConfig(id) {
  const element = id && document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

/** Replace %(name)s placeholders (gettext's Python format) with values. */
export function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (match, key) =>
    key in values ? String(values[key]) : match,
  );
}

/** A link only when it stays on http(s): never a javascript: URL from data. */
function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return ["http:", "https:"].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * A Leaflet map in `container`: tiles, attribution (as text), French zoom
 * buttons, the commune's view and, optionally, the district outlines.
 */
export async function baseMap(container, config, options = {}) {
  const L = await loadLeaflet(config);
  // Explicit icon URLs: Leaflet's guess from its CSS fails on hashed names.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: config.leaflet.icon,
    iconRetinaUrl: config.leaflet.iconRetina,
    shadowUrl: config.leaflet.shadow,
  });
  container.hidden = false;
  const map = L.map(container, { zoomControl: false, ...options });
  L.control
    .zoom({
      zoomInTitle: config.labels.zoomIn,
      zoomOutTitle: config.labels.zoomOut,
    })
    .addTo(map);
  map.attributionControl.setPrefix(false);
  const attribution = document.createElement("span");
  attribution.textContent = config.tiles.attribution || "";
  L.tileLayer(config.tiles.url, {
    attribution: attribution.innerHTML, // escaped: the setting is plain text
    maxZoom: 19,
  }).addTo(map);
  map.setView(config.centre, config.zoom);
  if (config.bounds) {
    map.setMaxBounds(L.latLngBounds(config.bounds).pad(0.5));
  }
  if (config.districts && config.districts.features.length) {
    L.geoJSON(config.districts, {
      interactive: false,
      style: { color: "#1f4e79", weight: 2, fillOpacity: 0.05 },
    }).addTo(map);
  }
  return { L, map };
}

function popupContent(properties, labels) {
  const box = document.createElement("div");
  const url = safeUrl(properties.url || "");
  const title = document.createElement(url ? "a" : "strong");
  title.textContent = properties.title || "";
  if (url) {
    title.setAttribute("href", properties.url); // as given: relative stays so
  }
  box.append(title);
  if (properties.status) {
    const status = document.createElement("p");
    status.textContent = properties.status;
    box.append(status);
  }
  return box;
}

function addFeatures(L, map, collection, labels) {
  const layer = L.geoJSON(collection, {
    pointToLayer: (feature, latlng) => {
      const title = feature.properties?.title || "";
      const label = format(labels.marker, { title });
      return L.marker(latlng, { title: label, alt: label, keyboard: true });
    },
    onEachFeature: (feature, marker) => {
      marker.bindPopup(popupContent(feature.properties || {}, labels));
      // Keyboard: the popup's link takes the focus; closing it (Escape, or
      // its close button) gives the focus back to the marker.
      marker.on("popupopen", (event) => {
        const popup = event.popup.getElement();
        if (!popup) {
          return;
        }
        popup
          .querySelector(".leaflet-popup-close-button")
          ?.setAttribute("aria-label", labels.close);
        if (!popup.dataset.escapes) {
          // Leaflet only listens to Escape while the map itself has the focus.
          popup.dataset.escapes = "true";
          popup.addEventListener("keydown", (key) => {
            if (key.key === "Escape") {
              key.stopPropagation();
              marker.closePopup();
            }
          });
        }
        popup.querySelector(".leaflet-popup-content a")?.focus();
      });
      marker.on("popupclose", (event) => {
        const popup = event.popup.getElement();
        const active = document.activeElement;
        if (active === document.body || popup?.contains(active)) {
          marker.getElement()?.focus();
        }
      });
    },
  });
  layer.addTo(map);
  return layer;
}

async function setUpMap(container) {
  const config = readConfig(container.dataset.agoraMap);
  if (!config || container.dataset.started) {
    return; // no configuration, or set up already by another copy of this module
  }
  container.dataset.started = "true";
  const { L, map } = await baseMap(container, config);
  if (config.features) {
    // Items given with the page (an idea's place, say): show them all.
    const layer = addFeatures(L, map, config.features, config.labels);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [32, 32] });
    }
  }
  if (config.featuresUrl) {
    const response = await fetch(config.featuresUrl, {
      headers: { Accept: "application/geo+json, application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      addFeatures(L, map, await response.json(), config.labels);
    }
  }
  container.dataset.ready = "true"; // for tests and styles
}

for (const container of document.querySelectorAll("[data-agora-map]")) {
  setUpMap(container).catch((error) => {
    container.hidden = true; // the list on the page shows the same items
    console.warn("Map not shown:", error);
  });
}
