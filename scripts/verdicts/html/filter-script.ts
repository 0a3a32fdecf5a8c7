/**
 * The filter box's only script, inline: it hides rows and account groups (`[data-f]`) whose text
 * does not contain what was typed. The page is complete without it; it fetches nothing.
 */
export const FILTER_SCRIPT = `(function () {
  var box = document.getElementById('filter');
  var note = document.getElementById('filter-count');
  if (!box) return;
  box.disabled = false;
  note.textContent = '';
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-f]'));
  var texts = items.map(function (el) { return el.textContent.toLowerCase(); });
  box.addEventListener('input', function () {
    var q = box.value.trim().toLowerCase();
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var hit = q === '' || texts[i].indexOf(q) !== -1;
      items[i].hidden = !hit;
      if (hit) shown++;
    }
    note.textContent = q === '' ? '' : shown + ' matching row(s) or account group(s)';
  });
})();`;
