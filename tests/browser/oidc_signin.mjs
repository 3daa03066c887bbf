// Partner sign-up in a real browser (Debian's chromium via playwright-core) against a real
// OpenID Connect provider (oidc_provider.mjs): "Continue with ..." on the invite page, the
// provider's login, the username form, the welcome page; then a second sign-in in a fresh
// browser finds the same account. Prints one JSON object of what it saw.
// Usage: node oidc_signin.mjs BASE_URL INVITE_CODE LOGIN SCREENSHOT_DIR
import { run } from './frame.mjs';
import { throughProvider } from './provider_login.mjs';

const [base, code, login, shots] = process.argv.slice(2);
const seen = {};

async function signIn(browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/invite/${code}`);
  const button = page.locator('#partner-sign-in');
  const label = await button.innerText();
  await button.click();
  await throughProvider(page, base, login);
  return { context, page, label };
}

await run(seen, async (browser) => {
  let { context, page, label } = await signIn(browser);
  seen.button = label;
  seen.form_url = page.url();
  seen.form_text = await page.locator('body').innerText();
  seen.prefilled_username = await page.locator('#username').inputValue();
  seen.prefilled_email = await page.locator('#email').inputValue();
  seen.email_readonly = (await page.locator('#email').getAttribute('readonly')) !== null;
  await page.screenshot({ path: `${shots}/oidc-username.png`, fullPage: true });
  await page.getByLabel(/agree/).check();
  await Promise.all([page.waitForURL(`${base}/auth/oidc/register#partner-form`),
    page.getByRole('button', { name: 'Create account' }).click()]);
  seen.welcome_text = await page.locator('body').innerText();
  await page.screenshot({ path: `${shots}/oidc-welcome.png`, fullPage: true });
  await context.close();

  ({ context, page } = await signIn(browser));
  seen.second_text = await page.locator('body').innerText();
  await page.screenshot({ path: `${shots}/oidc-second.png`, fullPage: true });
  await context.close();
});
