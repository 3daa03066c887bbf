// "Forgot your password?" in a real browser (Debian's chromium via playwright-core): from the
// sign-in page's link, ask for a reset link, then, once the suite has found the link in the
// mail the test's SMTP server received and written it to LINK_FILE, open it, choose a new
// password and land signed in on /settings; the spent link then shows its page. Prints one
// JSON object of what it saw; tests/e2e/test_account_browser.sh checks it.
// Usage: node forgot.mjs BASE_URL LOGIN NEW_PASSWORD LINK_FILE
import { existsSync, readFileSync } from 'node:fs';
import { run } from './frame.mjs';

const [base, login, password, linkFile] = process.argv.slice(2);
const seen = {};
await run(seen, async (browser) => {
  const page = await browser.newPage();
  const text = () => page.locator('body').innerText();
  const click = (name) => page.getByRole('button', { name }).click();

  await page.goto(`${base}/auth/sign_in`);
  await Promise.all([page.waitForURL(`${base}/auth/forgot`),
    page.getByRole('link', { name: 'Forgot your password?' }).click()]);
  await page.getByLabel('Username or email address').fill(login);
  await Promise.all([page.waitForURL(`${base}/auth/forgot#forgot-form`), click('Mail me a link')]);
  seen.asked_text = await text();
  console.log(JSON.stringify({ asked: true }));  // the suite now looks for the mail

  const until = Date.now() + 60000;
  while (!existsSync(linkFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const link = readFileSync(linkFile, 'utf8').trim();
  await page.goto(link);
  seen.reset_text = await text();
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('The same password again').fill(password);
  await Promise.all([page.waitForURL((u) => new URL(u).pathname === '/settings'),
    click('Change password and sign in')]);
  seen.settings_text = await text();
  await page.goto(link);
  seen.spent_text = await text();
});
