// A member running their own account in a real browser (Debian's chromium via playwright-core):
// activate from the link the CLI printed, change the password and sign in with the new one,
// export the data, link the partner identity (oidc_provider.mjs) and sign in with the partner,
// then delete the account. Prints one JSON object of what it saw; the suite
// tests/e2e/test_account_browser.sh checks it. Screenshots of what a member sees go to
// SCREENSHOT_DIR (the README's tour takes them from there).
// Usage: node account.mjs BASE_URL ACTIVATION_PATH PARTNER_LOGIN SCREENSHOT_DIR DOWNLOAD_FILE
import { readFileSync } from 'node:fs';
import { run } from './frame.mjs';
import { throughProvider } from './provider_login.mjs';

const [base, activation, partnerLogin, shots, download] = process.argv.slice(2);
const seen = {};
const first = 'first horse battery';
const second = 'second horse battery';

// The page at `path` (a redirect after a form keeps the form's #fragment).
const at = (path) => (u) => { const url = new URL(u); return url.href.slice(0, url.href.length - url.hash.length) === `${base}${path}`; };

// Clicks and waits until the browser has left this page (for the provider, or straight back
// when the provider remembers the person).
async function leave(page, locator) {
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.toString() !== before), locator.click()]);
}

await run(seen, async (browser) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
  const page = await context.newPage();
  const text = () => page.locator('body').innerText();
  const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  const click = (name) => page.getByRole('button', { name }).click();
  const signOut = async () => {
    await page.goto(`${base}/settings`);
    await Promise.all([page.waitForURL(`${base}/auth/sign_out#sign-out-form`), click('Sign out of this browser')]);
  };

  // Activate, which signs in.
  await page.goto(`${base}${activation}`);
  await page.getByLabel('Password', { exact: true }).fill(first);
  await page.getByLabel('The same password again').fill(first);
  await Promise.all([page.waitForURL(at('/settings')), click('Set password and sign in')]);
  seen.settings_text = await text();
  await shot('account-activated');

  // Change the password, then sign in with the new one.
  await page.getByRole('link', { name: 'Change your password' }).click();
  await page.getByLabel('Current password').fill(first);
  await page.getByLabel('New password', { exact: true }).fill(second);
  await page.getByLabel('The new password again').fill(second);
  await shot('account-password');
  await Promise.all([page.waitForURL(at('/settings?changed=password')), click('Change password')]);
  seen.changed_text = await text();
  await signOut();
  await page.goto(`${base}/auth/sign_in`);
  seen.sign_in_text = await text();
  await page.getByLabel('Username or email address').fill('hana');
  await page.getByLabel('Password').fill(first);
  await Promise.all([page.waitForURL(`${base}/auth/sign_in#sign-in-form`), click('Sign in')]);
  seen.old_password_text = await text();
  await page.getByLabel('Password').fill(second);
  await Promise.all([page.waitForURL(at('/settings')), click('Sign in')]);
  seen.new_password_url = page.url().replace(/#.*/, '');

  // Export the data.
  await page.getByRole('link', { name: 'Export your data' }).click();
  await shot('account-export');
  const [file] = await Promise.all([page.waitForEvent('download'), click('Download my data (JSON)')]);
  seen.export_name = file.suggestedFilename();
  await file.saveAs(download);
  seen.export = JSON.parse(readFileSync(download, 'utf8'));

  // Link the partner identity, then sign in with it.
  await page.goto(`${base}/settings`);
  await leave(page, page.locator('#partner-link'));
  await throughProvider(page, base, partnerLogin);
  seen.linked_text = await text();
  await page.goto(`${base}/settings`);
  seen.settings_linked_text = await text();
  await shot('account-settings');
  await signOut();
  await page.goto(`${base}/auth/sign_in`);
  await shot('account-sign-in');
  await leave(page, page.locator('#partner-sign-in'));
  await throughProvider(page, base, partnerLogin);
  seen.partner_url = page.url().replace(/#.*/, '');
  seen.partner_text = await text();

  // Delete the account.
  await page.getByRole('link', { name: 'Delete your account' }).click();
  await page.getByLabel('Your password, to confirm').fill('not the password');
  await Promise.all([page.waitForURL(`${base}/settings/delete#delete-form`), click('Delete my account for ever')]);
  seen.wrong_delete_text = await text();
  await page.getByLabel('Your password, to confirm').fill(second);
  await shot('account-delete');
  await Promise.all([page.waitForURL(`${base}/settings/delete#delete-form`), click('Delete my account for ever')]);
  seen.deleted_text = await text();
  await page.goto(`${base}/settings`);
  seen.after_delete_url = page.url().replace(/#.*/, '');
  await context.close();
});
