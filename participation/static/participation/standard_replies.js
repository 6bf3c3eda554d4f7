// Choosing a standard reply copies its text into the explanation, to adapt it
// (issue 6). Text the moderator wrote is never replaced. Without JavaScript the
// server uses the reply's text when the explanation is left empty.
for (const select of document.querySelectorAll("select[data-reply-texts]")) {
  const texts = JSON.parse(select.dataset.replyTexts);
  const field = select.form?.elements.namedItem("reason");
  if (!field) continue;
  let copied = "";
  select.addEventListener("change", () => {
    if (field.value.trim() && field.value !== copied) return;
    copied = texts[select.value] || "";
    field.value = copied;
  });
}
