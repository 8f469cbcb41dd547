(function () {
  const spreads = Array.from(document.querySelectorAll('figure.spread'));
  const where = document.getElementById('where');
  function headerHeight() { return document.querySelector('header').getBoundingClientRect().height; }
  function show(index, mark) {
    if (index < 0 || index >= spreads.length) return;
    const spread = spreads[index];
    spreads.forEach(s => s.classList.remove('current'));
    spread.classList.add('current');
    window.scrollTo({top: window.scrollY + spread.getBoundingClientRect().top - headerHeight() - 8});
    spread.focus({preventScroll: true});
    where.style.display = 'block';
    where.textContent = 'Spread ' + (index + 1) + ' of ' + spreads.length;
    history.replaceState(null, '', '#' + (mark ? mark.id : spread.id));
  }
  const hideNotes = document.getElementById('hide-notes');
  if (hideNotes) {
    hideNotes.addEventListener('change', function () {
      document.body.classList.toggle('hide-notes', hideNotes.checked);
    });
  }
  let pending = false;
  window.addEventListener('scroll', function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      const i = currentIndex();
      const last = spreads.length ? spreads[spreads.length - 1].getBoundingClientRect().bottom : 0;
      const inSpreads = i >= 0 && last > headerHeight();
      where.style.display = inSpreads ? 'block' : 'none';
      if (inSpreads) where.textContent = 'Spread ' + (i + 1) + ' of ' + spreads.length;
    });
  });
  function currentIndex() {
    const line = headerHeight() + 12;
    let found = -1;
    spreads.forEach((s, i) => { if (s.getBoundingClientRect().top <= line) found = i; });
    return found;
  }
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (['ArrowRight', 'j', 'n'].includes(event.key)) { show(currentIndex() + 1); event.preventDefault(); }
    else if (['ArrowLeft', 'k', 'p'].includes(event.key)) {
      const i = currentIndex(); show(i <= 0 ? 0 : i - 1); event.preventDefault();
    }
  });
  document.querySelectorAll('a.goto[href^="#f"]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      const mark = document.getElementById(link.getAttribute('href').slice(1));
      const spread = document.getElementById(link.dataset.spread);
      if (!spread) return;
      event.preventDefault();
      document.querySelectorAll('a.mark.active, li.finding.active').forEach(a => a.classList.remove('active'));
      if (mark) { mark.classList.add('active'); }
      link.closest('li').classList.add('active');
      show(spreads.indexOf(spread), mark);
    });
  });
  document.querySelectorAll('a.mark').forEach(function (mark) {
    mark.addEventListener('click', function (event) {
      const item = document.getElementById('item-' + mark.id);
      if (!item) return;
      event.preventDefault();
      const details = item.closest('details'); if (details) details.open = true;
      item.scrollIntoView({block: 'center'});
      document.querySelectorAll('li.finding.active').forEach(a => a.classList.remove('active'));
      item.classList.add('active');
    });
  });
})();
