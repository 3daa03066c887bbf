// A member's own pages in a real browser (Debian's chromium, headless, driven by
// playwright-core), one step at a time: tests/e2e/test_members_browser.sh sends a step on
// stdin, one per line, and reads one JSON line back for each, so it can have Fedify follow the
// member between two steps. Every step answers {"ok": true, ...} or {"ok": false, "error"}.
// Usage: node members.mjs BASE_URL SCREENSHOT_DIR
//
//   activate PATH PASSWORD   sets the password from an activation link    {status, url, signed_in_as}
//   sign-out                 the "Sign out of this browser" button        {text}
//   sign-in LOGIN PASSWORD   the sign-in form                             {url, signed_in_as}
//   profile BIO...           new bio, listed in the directory, Save       {notice}
//   approval on|off          "Followers need my approval", its Save       {notice, checked}
//   followers                /settings: who waits, who follows            {requests, followers}
//                            (each {account, id})
//   click BUTTON ACCOUNT     a follower's button (Approve, Reject, Remove) {status, notice}
//   post PATH CSRF FIELD=VALUE...   a POST with this browser's cookies, made by hand: CSRF
//                            "page" sends the token of /settings, "none" leaves it out,
//                            "cross-site" sends it from another site's Origin
//                                                            {status, heading: the card's h2}
//   shot NAME                a screenshot of the page as it is            {}
//   console                  errors the pages wrote to the console        {errors}
import readline from 'node:readline';
import { launch } from './frame.mjs';

const [base, shots] = process.argv.slice(2);
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
// A step that cannot find what it looks for fails within seconds, not playwright's 30.
page.setDefaultTimeout(10000);
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });

const notice = async () => {
  const n = page.locator('p.ok[role=status]');
  return (await n.count()) ? n.innerText() : '';
};
const signedInAs = async () => page.locator('#signed-in-as').innerText();
const settled = (click) => Promise.all([page.waitForNavigation(), click]);
// A list of /settings#followers: each entry's account and the id its buttons send.
const entries = (list) => page.locator(`${list} li`).evaluateAll((items) => items.map((li) => ({
  account: li.querySelector('.who').textContent,
  id: li.querySelector('input[name=follower]').value,
})));

const steps = {
  async activate(path, password) {
    const res = await page.goto(`${base}${path}`);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('The same password again').fill(password);
    await settled(page.getByRole('button', { name: 'Set password and sign in' }).click());
    return { status: res.status(), url: page.url(), signed_in_as: await signedInAs() };
  },
  async 'sign-out'() {
    await settled(page.getByRole('button', { name: 'Sign out of this browser' }).click());
    return { text: await page.locator('main').innerText() };
  },
  async 'sign-in'(login, password) {
    await page.goto(`${base}/auth/sign_in`);
    await page.getByLabel('Username or email address').fill(login);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await settled(page.getByRole('button', { name: 'Sign in' }).click());
    return { url: page.url(), signed_in_as: await signedInAs() };
  },
  async profile(...bio) {
    await page.goto(`${base}/settings`);
    await page.getByLabel('Bio').fill(bio.join(' '));
    await page.getByLabel(/List me in the directory/).check();
    await settled(page.getByRole('button', { name: 'Save', exact: true }).click());
    return { notice: await notice() };
  },
  async approval(state) {
    await page.goto(`${base}/settings`);
    await page.getByLabel('Followers need my approval').setChecked(state === 'on');
    await settled(page.getByRole('button', { name: 'Save follower approval' }).click());
    return { notice: await notice(), checked: await page.getByLabel('Followers need my approval').isChecked() };
  },
  async followers() {
    await page.goto(`${base}/settings`);
    return { requests: await entries('#follow-requests'), followers: await entries('#follower-list') };
  },
  async click(button, account) {
    await page.goto(`${base}/settings`);
    const [res] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: `${button} ${account}`, exact: true }).click(),
    ]);
    return { status: res.status(), notice: await notice() };
  },
  async post(path, csrf, ...fields) {
    await page.goto(`${base}/settings`);
    const form = Object.fromEntries(fields.map((f) => f.split(/=(.*)/s).slice(0, 2)));
    if (csrf !== 'none') form.csrf_token = await page.locator('input[name=csrf_token]').first().inputValue();
    const origin = csrf === 'cross-site' ? 'http://elsewhere.example' : base;
    const res = await page.request.post(`${base}${path}`, { form, headers: { Origin: origin }, maxRedirects: 0 });
    const html = await res.text();
    const heading = html.match(/<section class="card"><h2>([^<]*)<\/h2>/);
    return { status: res.status(), heading: heading ? heading[1] : '' };
  },
  async shot(name) {
    await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    return {};
  },
  async console() {
    return { errors };
  },
};

const say = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
say({ ok: true, ready: true });
const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const [name, ...args] = line.trim().split(/\s+/);
  if (name === 'quit') break;
  try {
    if (!(name in steps)) throw new Error(`unknown step ${name}`);
    say({ ok: true, ...(await steps[name](...args)) });
  } catch (e) {
    say({ ok: false, error: String(e?.stack ?? e) });
  }
}
await browser.close();
process.exit(0);
