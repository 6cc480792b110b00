// Progressive enhancements of the console; every page also works without this script.
(() => {
  // Drag and drop onto an upload zone fills its file input and submits the form.
  document.addEventListener('dragover', (e) => {
    const zone = e.target instanceof Element && e.target.closest('.dropzone');
    if (!zone) return;
    e.preventDefault();
    zone.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => {
    const zone = e.target instanceof Element && e.target.closest('.dropzone');
    if (zone) zone.classList.remove('dragging');
  });
  document.addEventListener('drop', (e) => {
    const zone = e.target instanceof Element && e.target.closest('.dropzone');
    if (!zone || !e.dataTransfer || e.dataTransfer.files.length === 0) return;
    e.preventDefault();
    zone.classList.remove('dragging');
    const input = zone.querySelector('input[type=file]');
    const form = zone.closest('form');
    if (!input || !form) return;
    input.files = e.dataTransfer.files;
    form.requestSubmit();
  });

  // Chat: post the question, then render the answer as its server-sent events arrive.
  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form[data-chat-stream]')) return;
    e.preventDefault();
    const box = form.querySelector('textarea');
    const list = document.getElementById('messages');
    const button = form.querySelector('button[type=submit]');
    if (!box || !list || !box.value.trim()) return;
    const data = new URLSearchParams(new FormData(form));
    const question = document.createElement('div');
    question.className = 'message message-user';
    question.textContent = box.value;
    const answer = document.createElement('div');
    answer.className = 'message message-assistant';
    answer.setAttribute('aria-busy', 'true');
    answer.textContent = form.dataset.thinking || '…';
    document.getElementById('chat-empty')?.remove();
    list.append(question, answer);
    box.value = '';
    if (button) button.disabled = true;
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        body: data,
        headers: { Accept: 'text/event-stream' },
      });
      if (!res.ok || !res.body) {
        answer.innerHTML = await res.text();
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
          const event = /^event: (.*)$/m.exec(raw)?.[1] ?? 'message';
          const payload = raw
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (event === 'session') {
            // The first question started a conversation: later ones go to it, and the page is its page.
            const started = JSON.parse(payload);
            form.action = started.action;
            history.replaceState(null, '', started.url);
            document.getElementById('sessions-empty')?.remove();
            const holder = document.createElement('ul');
            holder.innerHTML = started.item;
            document.querySelector('.sessions')?.prepend(...holder.childNodes);
          } else if (event === 'delta') {
            text += JSON.parse(payload);
            answer.textContent = text;
          } else if (event === 'done') {
            // The server's rendering of the exchange replaces the provisional one.
            const holder = document.createElement('div');
            holder.innerHTML = JSON.parse(payload);
            question.remove();
            answer.replaceWith(...holder.childNodes);
            const current = document.querySelector('.sessions a[aria-current="page"][data-untitled]');
            if (current) {
              current.textContent = question.textContent.replace(/\s+/g, ' ').trim().slice(0, 80);
              current.removeAttribute('data-untitled');
            }
          } else if (event === 'error') {
            answer.innerHTML = JSON.parse(payload);
          }
        }
      }
    } finally {
      answer.removeAttribute('aria-busy');
      if (button) button.disabled = false;
      box.focus();
    }
  });
})();
