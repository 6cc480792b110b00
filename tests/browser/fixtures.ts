/** Documents the browser journeys upload: English with sections, a small FAQ, and Chinese. */
export const HANDBOOK = [
  '# Product handbook',
  '',
  '## Releases',
  '',
  'Releases ship every Tuesday after the QA sign-off. A release train leaves at noon; anything not merged by then waits a week.',
  'Hotfixes skip the train but need two reviewers and a rollback plan.',
  '',
  '## On-call',
  '',
  'The on-call engineer answers pages within fifteen minutes. Escalate to the team lead after thirty minutes without progress.',
  '',
  '## Expenses',
  '',
  'Travel expenses are reimbursed within ten working days when the receipt is uploaded to the finance portal.',
].join('\n');

export const GUIDE_ZH =
  '# 报销指南\n\n## 差旅报销\n\n差旅费用在上传发票后十个工作日内报销。\n\n## 年假\n\n每位员工每年有二十五天带薪年假。\n';

export const FAQ =
  '# FAQ\n\n## Holidays\n\nEvery employee has twenty-five days of paid holiday a year, booked in the HR tool.\n';

/** A page of an intranet site, for "Add from URL": navigation and footer around an article. */
export const INTRANET_PAGE = `<!DOCTYPE html><html><head><title>Laptop rules - IT</title></head><body>
<nav><a href="/">Home</a> <a href="/it">IT</a></nav>
<main><article><h1>Laptop rules</h1>
<p>Every employee receives a laptop on the first day. Passwords must be at least twelve characters long and are changed every ninety days.</p>
<p>Report a lost laptop to the IT help desk at extension 8100 within two hours, and the security team will lock it remotely the same day.</p>
<p>Laptops go home at night; they are never left in the office over a weekend or a public holiday.</p>
</article></main><footer>IT department</footer></body></html>`;
