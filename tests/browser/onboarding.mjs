// The onboarding pages in a real browser (Debian's chromium, headless, driven by
// playwright-core), as a new member meets them, and the public pages (profile, about, /). Prints one JSON object of what it saw; the
// suite tests/e2e/test_onboarding_browser.sh checks it.
// Usage: node onboarding.mjs BASE_URL CODE SECOND_CODE EXHAUSTED_CODE SCREENSHOT_DIR ACTIVATION_PATH MAILDIR
// (MAILDIR: where the suite's SMTP server delivers, to follow the links that are mailed).
import { readdir, readFile } from 'node:fs/promises';
import { run } from './frame.mjs';

const [base, code, second, exhausted, shots, activation, maildir] = process.argv.slice(2);
const seen = {};

// The path of the waitlist confirmation link mailed to `to`, once the mail has arrived (polled,
// for up to 30 s); the body is quoted-printable.
const confirmationLink = async (to) => {
  const rcpt = new RegExp(`^X-RcptTo: ${to.replace(/[.]/g, '\\.')}\r?$`, 'mi');
  for (let i = 0; i < 300; i++) {
    for (const f of await readdir(`${maildir}/new`).catch(() => [])) {
      const raw = await readFile(`${maildir}/new/${f}`, 'utf8');
      if (!rcpt.test(raw)) continue;
      const body = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      const m = body.match(/https?:\/\/[^/\s]+(\/waitlist\/confirm\/[A-Za-z0-9_-]+)/);
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no confirmation mail to ${to}`);
};

await run(seen, async (browser) => {
  // A phone's width: the pages must be readable without zooming or scrolling sideways.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  const text = () => page.locator('body').innerText();
  const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

  // The invite page, then signing up with it.
  let res = await page.goto(`${base}/invite/${code}`);
  seen.invite_status = res.status();
  seen.invite_text = await text();
  seen.invite_form_visible = await page.locator('form').isVisible();
  seen.invite_fits_phone = await fits();
  seen.lang = await page.locator('html').getAttribute('lang');
  // A card's heading starts at the card's padding, with no empty space above it.
  seen.card_heading_gaps = await page.evaluate(() => [...document.querySelectorAll('.card > h2:first-child')]
    .map((h) => Math.round(h.getBoundingClientRect().top - h.parentElement.getBoundingClientRect().top)));
  await shot('invite');
  await page.getByLabel('Username').fill('newbie');
  await page.getByLabel('Email address').fill('newbie@example.com');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByLabel(/agree/).check();
  await Promise.all([page.waitForURL(`${base}/auth/sign_up#sign-up-form`), page.getByRole('button', { name: 'Create account' }).click()]);
  seen.welcome_text = await text();
  await shot('welcome');
  // A suggested account leads to its profile page.
  const suggested = page.locator('ul.people a').first();
  seen.suggestion_href = await suggested.getAttribute('href');
  await Promise.all([page.waitForURL(/\/@grace$/), suggested.click()]);
  seen.suggestion_h1 = await page.locator('h1').first().innerText();

  // A taken username: the error stands beside the field, the other fields are kept.
  await page.goto(`${base}/invite/${second}`);
  await page.getByLabel('Username').fill('newbie');
  await page.getByLabel('Email address').fill('other@example.com');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByLabel(/agree/).check();
  await Promise.all([page.waitForURL(`${base}/auth/sign_up#sign-up-form`), page.getByRole('button', { name: 'Create account' }).click()]);
  const usernameField = page.locator('.field', { has: page.locator('#username') });
  seen.taken_error = await usernameField.locator('.error').innerText();
  seen.taken_error_visible = await usernameField.locator('.error').isVisible();
  seen.taken_described_by = await page.locator('#username').getAttribute('aria-describedby');
  seen.taken_kept_email = await page.locator('#email').inputValue();
  seen.taken_kept_username = await page.locator('#username').inputValue();
  seen.taken_password = await page.locator('#password').inputValue();
  seen.taken_agree_checked = await page.locator('#agree').isChecked();
  // On a phone the page comes back scrolled to the summary of problems at the top of the form,
  // whose item leads to the field.
  seen.taken_summary = await page.locator('.summary').innerText();
  seen.taken_scrolled = await page.evaluate(() => window.scrollY);
  seen.taken_summary_top = await page.locator('.summary').evaluate((e) => Math.round(e.getBoundingClientRect().top));
  seen.taken_summary_link = await page.locator('.summary a').first().getAttribute('href');
  await shot('taken-username');

  // Nothing filled in: every problem in words for people, the first one on screen.
  await page.goto(`${base}/invite/${second}`);
  await Promise.all([page.waitForURL(`${base}/auth/sign_up#sign-up-form`), page.getByRole('button', { name: 'Create account' }).click()]);
  seen.empty_errors = await page.locator('.field .error').allInnerTexts();
  seen.empty_summary_items = await page.locator('.summary li').allInnerTexts();
  seen.empty_summary_top = await page.locator('.summary').evaluate((e) => Math.round(e.getBoundingClientRect().top));
  await shot('empty-sign-up');

  // A used-up invite.
  res = await page.goto(`${base}/invite/${exhausted}`);
  seen.exhausted_status = res.status();
  seen.exhausted_text = await text();
  await shot('exhausted');

  // The waitlist: its privacy link, joining, confirming from the mailed link, then joining
  // again with the same address.
  await page.goto(`${base}/waitlist`);
  await Promise.all([page.waitForURL(`${base}/privacy-policy`),
    page.locator('form').getByRole('link', { name: 'privacy policy', exact: true }).click()]);
  seen.privacy_h1 = await page.locator('h1').innerText();
  seen.privacy_text = await text();
  await shot('privacy-policy');
  await page.goto(`${base}/waitlist`);
  seen.waitlist_form_visible = await page.locator('form').isVisible();
  seen.waitlist_fits_phone = await fits();
  seen.waitlist_page_text = await text();
  await page.getByLabel('Email address').fill('hopeful@example.com');
  await page.getByLabel(/Username you would like/).fill('hopeful');
  await page.getByLabel(/Why would you like to join/).fill('I write about boats.');
  await shot('waitlist');
  await Promise.all([page.waitForURL(`${base}/waitlist#waitlist-form`), page.getByRole('button', { name: 'Join the waitlist' }).click()]);
  seen.joined_text = await text();
  await shot('waitlist-joined');
  const link = await confirmationLink('hopeful@example.com');
  res = await page.goto(`${base}${link}`);
  seen.confirm_status = res.status();
  seen.confirm_text = await text();
  await shot('waitlist-confirm');
  await Promise.all([page.waitForURL(`${base}${link}#confirm-form`), page.getByRole('button', { name: 'Confirm my place' }).click()]);
  seen.confirmed_text = await text();
  await page.goto(`${base}/waitlist`);
  await page.getByLabel('Email address').fill('  Hopeful@EXAMPLE.com ');
  await Promise.all([page.waitForURL(`${base}/waitlist#waitlist-form`), page.getByRole('button', { name: 'Join the waitlist' }).click()]);
  seen.duplicate_text = await text();
  seen.duplicate_position = await page.locator('.big').innerText();
  await shot('waitlist-duplicate');

  // The pages links lead to: a profile, /about, and / (the waitlist is this instance's front
  // door), on a phone and on a desktop. No console message (a refused style or icon would
  // show as a Content-Security-Policy error), nothing wider than the screen.
  const errors = [];
  const visit = async (p, path, name) => {
    const r = await p.goto(`${base}${path}`);
    const info = {
      status: r.status(),
      url: p.url(),
      text: await p.locator('body').innerText(),
      fits: await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      footer_visible: await p.locator('footer').isVisible(),
      // Read at once: a locator would wait 30 s for a link that a page rightly lacks.
      alternate: await p.evaluate(() => document.querySelector('link[rel=alternate]')?.getAttribute('href') ?? null),
      h1: await p.locator('h1').first().innerText(),
    };
    await p.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    return info;
  };
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  for (const [ctx, kind] of [[context, 'phone'], [desktop, 'desktop']]) {
    const p = await ctx.newPage();
    p.on('console', (m) => { if (m.type() === 'error') errors.push(`${kind} ${p.url()}: ${m.text()}`); });
    seen[`profile_${kind}`] = await visit(p, '/@grace', `profile-${kind}`);
    seen[`about_${kind}`] = await visit(p, '/about', `about-${kind}`);
    seen[`front_${kind}`] = await visit(p, '/', `front-${kind}`);
  }
  // A member activates the account `users create` made, lands signed in, signs out and in.
  const member = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  member.on('console', (m) => { if (m.type() === 'error') errors.push(`member ${member.url()}: ${m.text()}`); });
  res = await member.goto(`${base}${activation}`);
  seen.activate_status = res.status();
  seen.activate_fits_phone = await member.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  await member.screenshot({ path: `${shots}/activate.png`, fullPage: true });
  await member.getByLabel('Password', { exact: true }).fill('harbour lights');
  await member.getByLabel('The same password again').fill('harbour lights');
  await Promise.all([member.waitForURL(/\/settings(#.*)?$/), member.getByRole('button', { name: 'Set password and sign in' }).click()]);
  seen.settings_text = await member.locator('body').innerText();
  seen.session_cookie = (await member.context().cookies()).find((c) => c.name === 'instctl_session') || null;
  if (seen.session_cookie) seen.session_cookie.value = seen.session_cookie.value.length;  // not the secret itself
  await member.screenshot({ path: `${shots}/settings.png`, fullPage: true });
  await member.getByRole('button', { name: 'Sign out of this browser' }).click();
  seen.signed_out_text = await member.locator('body').innerText();
  await member.goto(`${base}/settings`);
  seen.after_sign_out_url = member.url();
  await member.getByLabel('Username or email address').fill('grace');
  await member.getByLabel('Password', { exact: true }).fill('harbour lights');
  await Promise.all([member.waitForURL(/\/settings(#.*)?$/), member.getByRole('button', { name: 'Sign in' }).click()]);
  seen.signed_in_again = await member.locator('#signed-in-as').innerText();
  // The bio and the directory listing, from /settings to the actor document and the directory.
  await member.getByLabel('Bio').fill('Charts the harbour.');
  await member.getByLabel(/List me in the directory/).check();
  await Promise.all([member.waitForURL(/#profile-form$/), member.getByRole('button', { name: 'Save', exact: true }).click()]);
  seen.saved_text = await member.locator('body').innerText();
  const actor = await member.request.get(`${base}/users/grace`, { headers: { Accept: 'application/activity+json' } });
  seen.actor_summary = (await actor.json()).summary;
  seen.directory = (await (await member.request.get(`${base}/api/v1/directory`)).json()).map((a) => a.username);

  const icon = await page.request.get(`${base}/favicon.ico`);
  seen.favicon = { status: icon.status(), type: icon.headers()['content-type'], size: (await icon.body()).length };
  seen.console_errors = errors;
});
