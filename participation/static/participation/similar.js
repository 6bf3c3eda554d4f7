// While the title is typed, show similar ideas of the commune (issue 5).
// Without JavaScript the same list is a step after "Send my idea".
const config = JSON.parse(document.getElementById("similar-config")?.textContent || "null");
const input = document.getElementById("id_title");
const region = document.getElementById("similar-live");

function show(results) {
  region.replaceChildren();
  if (!results.length) return;
  const heading = document.createElement("p");
  heading.textContent = config.labels.found;
  const list = document.createElement("ul");
  for (const item of results) {
    const entry = document.createElement("li");
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.title;
    link.target = "_blank";
    link.rel = "noopener";
    entry.append(link, ` (${config.labels.supports.replace("%s", item.supports)})`);
    list.append(entry);
  }
  region.append(heading, list);
}

if (config && input && region) {
  let timer = null;
  let controller = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const title = input.value.trim();
      if (title.length < 4) return show([]);
      controller?.abort();
      controller = new AbortController();
      const params = new URLSearchParams({ titre: title });
      if (config.exclude) params.set("sauf", config.exclude);
      try {
        const response = await fetch(`${config.url}?${params}`, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (response.ok) show((await response.json()).results);
      } catch (error) {
        if (error.name !== "AbortError") show([]);
      }
    }, 400);
  });
}
