// The point picker (issue 5), for carte/includes/point_picker.html.
// Without this script the address, latitude and longitude are plain form fields.
// With it: a "Search" button looks the address up through /carte/adresses/ (our
// server: the CSP allows no other origin) and lists the answers as buttons; a
// click or a tap on the map places the point. Both fill the real fields.

import { baseMap, format, readConfig } from "./map.js";

const DECIMALS = 6; // the models keep six decimals (about 10 cm)

function numberOf(input) {
  const value = Number.parseFloat((input.value || "").replace(",", "."));
  return Number.isFinite(value) ? value : null;
}

class PointPicker {
  constructor(fieldset) {
    this.fieldset = fieldset;
    this.config = readConfig(fieldset.dataset.pointPicker);
    this.address = document.getElementById(fieldset.dataset.address);
    this.latitude = document.getElementById(fieldset.dataset.latitude);
    this.longitude = document.getElementById(fieldset.dataset.longitude);
    this.mapContainer = document.getElementById(fieldset.dataset.map);
    this.search = fieldset.querySelector(".point-picker-search");
    this.searchButton = fieldset.querySelector("[data-search]");
    this.status = fieldset.querySelector("[data-status]");
    this.results = fieldset.querySelector("[data-results]");
    this.labels = this.config?.labels || {};
    this.marker = null;
    this.request = null;
  }

  get usable() {
    return Boolean(
      this.config && this.address && this.latitude && this.longitude,
    );
  }

  async start() {
    this.setUpSearch();
    await this.setUpMap();
    this.fieldset.dataset.ready = "true"; // for tests and styles
  }

  // Address search

  setUpSearch() {
    if (!this.search || !this.searchButton) {
      return;
    }
    this.search.hidden = false;
    this.searchButton.setAttribute("aria-describedby", this.status.id || "");
    this.searchButton.addEventListener("click", () => this.find());
    // Enter in the address field searches rather than sending the form.
    this.address.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        this.find();
      }
    });
  }

  say(text) {
    this.status.textContent = text;
  }

  async find() {
    const query = this.address.value.trim();
    this.clearResults();
    if (query.length < 3) {
      this.say(this.labels.searchHint);
      this.address.focus();
      return;
    }
    this.request?.abort();
    this.request = new AbortController();
    this.say(this.labels.searching);
    this.fieldset.setAttribute("aria-busy", "true");
    try {
      const url = `${this.config.searchUrl}?${new URLSearchParams({ q: query })}`;
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: this.request.signal,
      });
      const body = await response.json();
      if (!response.ok) {
        this.say(body.message || this.labels.failed);
        return;
      }
      this.showResults(body);
    } catch (error) {
      if (error.name !== "AbortError") {
        this.say(this.labels.failed);
      }
    } finally {
      this.fieldset.removeAttribute("aria-busy");
    }
  }

  clearResults() {
    this.results.replaceChildren();
    this.results.hidden = true;
  }

  showResults(addresses) {
    if (!addresses.length) {
      this.say(this.labels.noResult);
      return;
    }
    this.say(format(this.labels.results, { count: addresses.length }));
    for (const address of addresses) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = address.label;
      button.addEventListener("click", () => this.choose(address));
      item.append(button);
      this.results.append(item);
    }
    this.results.hidden = false;
  }

  choose(address) {
    this.address.value = address.label;
    this.setPoint(address.latitude, address.longitude, { pan: true });
    this.clearResults();
    this.say(format(this.labels.chosen, { label: address.label }));
    this.address.focus();
  }

  // The map

  async setUpMap() {
    if (!this.mapContainer) {
      return;
    }
    const { L, map } = await baseMap(this.mapContainer, this.config);
    this.L = L;
    this.map = map;
    map.on("click", (event) => {
      const { lat, lng } = event.latlng;
      if (!this.inCommune(lat, lng)) {
        this.say(this.labels.outside); // the server would refuse it too
        return;
      }
      this.setPoint(lat, lng, { pan: false });
      this.say(
        format(this.labels.clicked, {
          latitude: this.latitude.value,
          longitude: this.longitude.value,
        }),
      );
    });
    // Typed coordinates move the marker too.
    for (const input of [this.latitude, this.longitude]) {
      input.addEventListener("change", () => this.showTypedPoint());
    }
    this.showTypedPoint({ pan: true });
  }

  /** Inside the commune's map bounds ([[south, west], [north, east]]), if any. */
  inCommune(latitude, longitude) {
    const bounds = this.config.bounds;
    if (!bounds) {
      return true;
    }
    const [[south, west], [north, east]] = bounds;
    return (
      south <= latitude && latitude <= north && west <= longitude && longitude <= east
    );
  }

  showTypedPoint({ pan = false } = {}) {
    const latitude = numberOf(this.latitude);
    const longitude = numberOf(this.longitude);
    if (latitude === null || longitude === null) {
      return;
    }
    if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
      this.placeMarker(latitude, longitude, pan);
    }
  }

  setPoint(latitude, longitude, { pan }) {
    this.latitude.value = latitude.toFixed(DECIMALS);
    this.longitude.value = longitude.toFixed(DECIMALS);
    for (const input of [this.latitude, this.longitude]) {
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    this.placeMarker(latitude, longitude, pan);
  }

  placeMarker(latitude, longitude, pan) {
    if (!this.map) {
      return;
    }
    const position = [latitude, longitude];
    if (this.marker) {
      this.marker.setLatLng(position);
    } else {
      this.marker = this.L.marker(position, {
        draggable: true,
        keyboard: false, // the fields are the keyboard way to move it
        title: this.labels.marker,
        alt: this.labels.marker,
      }).addTo(this.map);
      this.marker.on("dragend", () => {
        const moved = this.marker.getLatLng();
        this.setPoint(moved.lat, moved.lng, { pan: false });
      });
    }
    if (pan) {
      this.map.setView(position, Math.max(this.map.getZoom(), 16));
    }
  }
}

for (const fieldset of document.querySelectorAll("[data-point-picker]")) {
  const picker = new PointPicker(fieldset);
  if (picker.usable && !fieldset.dataset.started) {
    fieldset.dataset.started = "true";
    picker.start().catch((error) => {
      if (picker.mapContainer) {
        picker.mapContainer.hidden = true; // the fields still work
      }
      console.warn("Point picker map not shown:", error);
    });
  }
}
