import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * Our reading of HubSpot's developer-platform docs (platform 2026.03) for the config files of this
 * project, as zod schemas, and `projectProblems`, which checks the whole project offline.
 *
 * HubSpot's own `translate` (from @hubspot/project-parsing-lib) only validates against schemas it
 * downloads per account; with `skipValidation` it accepts bad JSON and unknown values silently.
 * These schemas are stricter than HubSpot on purpose: unknown keys are errors (a typo such as
 * `objectType` for `objectTypes` would otherwise be ignored), and every URL the app talks to must
 * sit under the one API base URL the back end is deployed at.
 *
 * Sources (developers.hubspot.com): build-apps/app-configuration (app-hsmeta.json, uid rules),
 * add-features/ui-extensibility/app-cards/reference (card config, locations),
 * add-features/configure-webhooks (webhooks config), changelog "generic webhook subscriptions"
 * (object.* types and objects), webhooks v3 subscriptions API (classic subscription types),
 * HubSpot's 2026.03 project templates (hubspot-project-components `2026.03/`: app, card, settings and
 * webhooks shapes unchanged from 2025.2), and @hubspot/project-parsing-lib 0.23.0
 * (allowed top-level keys, feature folders, one settings and one webhooks component per app).
 */

/** `uid`: up to 64 letters, digits, `_`, `-` and `.` (app configuration docs; parsing-lib `validateUid`). */
export const Uid = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be 1–64 letters, digits, "_", "-" or "."' });

const httpsUrl = z
  .string({ error: 'must be a URL string' })
  .refine((value) => parseUrl(value)?.protocol === 'https:', { error: 'must be an https:// URL' });

const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

// ---------------------------------------------------------------------------------------------
// hsproject.json

/**
 * 2026.03: the newest version both HubSpot's templates and @hubspot/project-parsing-lib (its
 * LATEST_SUPPORTED_PLATFORM_VERSION) know as generally available; 2026.09 exists only as a beta
 * template and CLI 8.14 still hides it.
 */
export const platformVersion = '2026.03';

export const HsProject = z.strictObject({
  name: nonEmpty,
  srcDir: nonEmpty,
  platformVersion: z.literal(platformVersion, { error: `must be "${platformVersion}"` }),
});
export type HsProject = z.infer<typeof HsProject>;

// ---------------------------------------------------------------------------------------------
// Top level of every *-hsmeta.json: uid, type, config (dependencies and permissions are the only
// other keys @hubspot/project-parsing-lib lets through).

function component<Type extends string, Config extends z.ZodType>(type: Type, config: Config) {
  return z.strictObject({
    uid: Uid,
    type: z.literal(type, { error: `must be "${type}"` }),
    config,
    dependencies: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    permissions: z
      .strictObject({
        requiredScopes: z.array(z.string()).optional(),
        optionalScopes: z.array(z.string()).optional(),
        conditionallyRequiredScopes: z.array(z.string()).optional(),
      })
      .optional(),
  });
}

// ---------------------------------------------------------------------------------------------
// app/app-hsmeta.json

export const distributions = ['marketplace', 'private'] as const;
export const authTypes = ['oauth', 'static'] as const;

const scopeList = z.array(nonEmpty, { error: 'must be a list of scope names' });

export const AppMeta = component(
  'app',
  z.strictObject({
    name: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(200, { error: 'must be at most 200 characters' })
      .refine((name) => name.trim() === name, { error: 'must not start or end with whitespace' }),
    description: nonEmpty.max(8192, { error: 'must be at most 8192 characters' }),
    distribution: z.enum(distributions, { error: `must be one of ${distributions.join(', ')}` }),
    auth: z
      .strictObject({
        type: z.enum(authTypes, { error: `must be one of ${authTypes.join(', ')}` }),
        redirectUrls: z.array(httpsUrl, { error: 'must be a list of URLs' }).optional(),
        requiredScopes: scopeList,
        optionalScopes: scopeList.optional(),
        conditionallyRequiredScopes: scopeList.optional(),
      })
      .superRefine((auth, ctx) => {
        if (auth.type === 'oauth' && (auth.redirectUrls ?? []).length === 0) {
          ctx.addIssue({ code: 'custom', path: ['redirectUrls'], message: 'must list at least one URL for oauth' });
        }
        if (auth.type === 'static') {
          for (const key of ['optionalScopes', 'conditionallyRequiredScopes'] as const) {
            if ((auth[key] ?? []).length > 0) {
              ctx.addIssue({ code: 'custom', path: [key], message: 'is only allowed with oauth (static auth has required scopes only)' });
            }
          }
        }
      }),
    permittedUrls: z
      .strictObject({
        fetch: z.array(httpsUrl, { error: 'must be a list of URLs' }).optional(),
        iframe: z.array(httpsUrl, { error: 'must be a list of URLs' }).optional(),
        img: z.array(httpsUrl, { error: 'must be a list of URLs' }).optional(),
      })
      .optional(),
    support: z
      .strictObject({
        supportEmail: z.email({ error: 'must be an email address' }),
        documentationUrl: httpsUrl,
        supportUrl: httpsUrl.optional(),
        supportPhone: nonEmpty.optional(),
      })
      .optional(),
  }),
).superRefine((app, ctx) => {
  if (app.config.distribution === 'marketplace' && app.config.auth.type !== 'oauth') {
    ctx.addIssue({ code: 'custom', path: ['config', 'auth', 'type'], message: 'must be oauth for marketplace distribution' });
  }
});
export type AppMeta = z.infer<typeof AppMeta>;

// ---------------------------------------------------------------------------------------------
// app/cards/*-hsmeta.json

/** The card reference lists exactly these four locations. */
export const cardLocations = ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] as const;

/**
 * Standard objects a card may name in `objectTypes`, plus custom objects as `p_<name>`. The four
 * CRM objects are certain; the other four come from HubSpot's UI-extension docs and are our reading.
 */
export const cardStandardObjectTypes = ['contacts', 'companies', 'deals', 'tickets', 'appointments', 'courses', 'listings', 'services'] as const;

const cardObjectType = z
  .string({ error: 'must be a string' })
  .refine((value) => (cardStandardObjectTypes as readonly string[]).includes(value) || /^p_[a-z0-9_]+$/.test(value), {
    error: `must be one of ${cardStandardObjectTypes.join(', ')} or a custom object p_<name>`,
  });

export const CardMeta = component(
  'card',
  z.strictObject({
    name: nonEmpty,
    description: z.string({ error: 'must be a string' }).optional(),
    previewImage: z
      .strictObject({
        file: z.string().regex(/\.(png|jpe?g|gif)$/i, { error: 'must be a png, jpeg, jpg or gif file' }),
        altText: nonEmpty,
      })
      .optional(),
    location: z.enum(cardLocations, { error: `must be one of ${cardLocations.join(', ')}` }),
    entrypoint: z.string({ error: 'must be a string' }).regex(/^\/app\/cards\/.+\.(jsx|tsx)$/, { error: 'must be a /app/cards/….jsx or .tsx path' }),
    objectTypes: z
      .array(cardObjectType, { error: 'must be a list of object types' })
      .min(1, { error: 'must name at least one object type' })
      .refine((types) => new Set(types).size === types.length, { error: 'must not repeat an object type' }),
  }),
);
export type CardMeta = z.infer<typeof CardMeta>;

// ---------------------------------------------------------------------------------------------
// app/settings/*-hsmeta.json

export const SettingsMeta = component(
  'settings',
  z.strictObject({
    entrypoint: z
      .string({ error: 'must be a string' })
      .regex(/^\/app\/settings\/.+\.(jsx|tsx)$/, { error: 'must be a /app/settings/….jsx or .tsx path' }),
  }),
);
export type SettingsMeta = z.infer<typeof SettingsMeta>;

// ---------------------------------------------------------------------------------------------
// app/webhooks/*-hsmeta.json

/** `crmObjects` take the generic `object.*` subscription types. */
export const crmObjectSubscriptionTypes = [
  'object.creation',
  'object.deletion',
  'object.propertyChange',
  'object.merge',
  'object.restore',
  'object.associationChange',
] as const;

/** Objects generic (`object.*`) subscriptions support (HubSpot's list, lower-case as in the examples). */
export const webhookObjectTypes = [
  'appointment', 'call', 'cart', 'commerce_payment', 'communication', 'company', 'contact', 'course', 'deal',
  'discount', 'email', 'fee', 'feedback_submission', 'goal_target', 'invoice', 'lead', 'line_item', 'listing',
  'meeting_event', 'note', 'order', 'partner_client', 'postal_mail', 'product', 'quote', 'quote_template',
  'service', 'subscription', 'task', 'tax', 'ticket', 'user',
] as const;

const legacyObjects = ['contact', 'company', 'deal', 'ticket', 'product', 'line_item'] as const;
const legacyEvents = ['creation', 'deletion', 'propertyChange', 'merge', 'restore', 'associationChange'] as const;
/** `legacyCrmObjects` take the classic `<object>.<event>` types. */
export const legacySubscriptionTypes = legacyObjects.flatMap((object) => legacyEvents.map((event) => `${object}.${event}`));

/** `hubEvents`: contact.privacyDeletion and the conversation.* events. */
export const hubEventSubscriptionTypes = [
  'contact.privacyDeletion',
  'conversation.creation',
  'conversation.deletion',
  'conversation.newMessage',
  'conversation.privacyDeletion',
  'conversation.propertyChange',
] as const;

/** `propertyName` is required on property-change subscriptions and meaningless elsewhere. */
function propertyNameRule(entry: { subscriptionType: string; propertyName?: string | undefined }, ctx: z.RefinementCtx) {
  const isPropertyChange = entry.subscriptionType.endsWith('.propertyChange');
  if (isPropertyChange && !entry.propertyName) {
    ctx.addIssue({ code: 'custom', path: ['propertyName'], message: `is required for ${entry.subscriptionType}` });
  }
  if (!isPropertyChange && entry.propertyName !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['propertyName'], message: `is only allowed on property-change subscriptions, not ${entry.subscriptionType}` });
  }
}

const active = z.boolean({ error: 'must be true or false' });
const propertyName = nonEmpty.optional();

const CrmObjectSubscription = z
  .strictObject({
    subscriptionType: z.enum(crmObjectSubscriptionTypes, { error: `must be one of ${crmObjectSubscriptionTypes.join(', ')}` }),
    objectType: z.enum(webhookObjectTypes, { error: 'must be a supported CRM object (e.g. contact, company, deal, ticket)' }),
    propertyName,
    active,
  })
  .superRefine(propertyNameRule);

const LegacyCrmObjectSubscription = z
  .strictObject({
    subscriptionType: z.string({ error: 'must be a string' }).refine((type) => legacySubscriptionTypes.includes(type), {
      error: 'must be a classic <object>.<event> type (e.g. contact.creation, deal.propertyChange)',
    }),
    propertyName,
    active,
  })
  .superRefine(propertyNameRule);

const HubEventSubscription = z.strictObject({
  subscriptionType: z.enum(hubEventSubscriptionTypes, { error: `must be one of ${hubEventSubscriptionTypes.join(', ')}` }),
  active,
});

export const WebhooksMeta = component(
  'webhooks',
  z.strictObject({
    settings: z.strictObject({
      targetUrl: httpsUrl,
      maxConcurrentRequests: z.int({ error: 'must be a whole number' }).positive({ error: 'must be at least 1' }),
    }),
    subscriptions: z
      .strictObject({
        crmObjects: z.array(CrmObjectSubscription).optional(),
        legacyCrmObjects: z.array(LegacyCrmObjectSubscription).optional(),
        hubEvents: z.array(HubEventSubscription).optional(),
      })
      .refine((subscriptions) => Object.values(subscriptions).some((list) => list.length > 0), {
        error: 'must subscribe to at least one event',
      }),
  }),
);
export type WebhooksMeta = z.infer<typeof WebhooksMeta>;

// ---------------------------------------------------------------------------------------------
// The whole project

/** Each component type we use, its schema, and the folder (under srcDir) its file must sit in. */
const kinds = {
  app: { schema: AppMeta, folder: 'app' },
  card: { schema: CardMeta, folder: 'app/cards' },
  settings: { schema: SettingsMeta, folder: 'app/settings' },
  webhooks: { schema: WebhooksMeta, folder: 'app/webhooks' },
} as const;
type Kind = keyof typeof kinds;
const isKind = (type: unknown): type is Kind => typeof type === 'string' && Object.hasOwn(kinds, type);

/** Minimum read scope per object a card shows or a webhook listens to (app-card and webhook docs). */
const readScopeFor: Record<string, string> = {
  contacts: 'crm.objects.contacts.read',
  contact: 'crm.objects.contacts.read',
  companies: 'crm.objects.companies.read',
  company: 'crm.objects.companies.read',
  deals: 'crm.objects.deals.read',
  deal: 'crm.objects.deals.read',
  tickets: 'crm.objects.tickets.read',
  ticket: 'crm.objects.tickets.read',
};

interface MetaFile {
  /** Path relative to the project dir, with forward slashes, as problems name it. */
  file: string;
  /** Folder relative to srcDir, with forward slashes. */
  folder: string;
  json: unknown;
}

/**
 * Everything wrong with the project in `projectDir`, as sentences naming the file and field; empty
 * when valid. Reads hsproject.json and every `*-hsmeta.json` under its srcDir, validates each with
 * the schema for its `type`, and checks across files: one app, unique uids, one settings and one
 * webhooks component at most, a package.json beside every card and settings page, the read scopes
 * the card and the webhooks need, and every API URL (fetch, OAuth redirect, webhook target) under
 * `apiBaseUrl`. Entry-point files are checked separately, by `missingEntrypoints`.
 */
export async function projectProblems(projectDir: string, apiBaseUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const base = parseUrl(apiBaseUrl);
  if (base?.protocol !== 'https:') {
    problems.push(`the API base URL ${JSON.stringify(apiBaseUrl)} must be an https:// URL`);
  }

  const project = await readProject(projectDir, problems);
  if (!project) return problems;
  const metaFiles = await readMetaFiles(projectDir, project.srcDir, problems);

  const valid: { meta: MetaFile; kind: Kind; value: AppMeta | CardMeta | SettingsMeta | WebhooksMeta }[] = [];
  for (const meta of metaFiles) {
    const type = isRecord(meta.json) ? meta.json['type'] : undefined;
    if (!isKind(type)) {
      problems.push(`${meta.file}: type must be one of ${Object.keys(kinds).join(', ')} (got ${JSON.stringify(type)})`);
      continue;
    }
    if (meta.folder !== kinds[type].folder) {
      problems.push(`${meta.file}: a ${type} component must sit directly in ${project.srcDir}/${kinds[type].folder}/ (HubSpot skips it elsewhere)`);
    }
    const result = kinds[type].schema.safeParse(meta.json, { reportInput: true });
    if (result.success) valid.push({ meta, kind: type, value: result.data });
    else problems.push(...result.error.issues.map((issue) => describeIssue(meta.file, issue)));
  }

  // One app, unique uids, singular features.
  const apps = valid.filter((entry) => entry.kind === 'app');
  const appCandidates = metaFiles.filter((meta) => isRecord(meta.json) && meta.json['type'] === 'app');
  if (appCandidates.length === 0) problems.push(`${project.srcDir}/app/: the project must have one app component (app-hsmeta.json)`);
  if (appCandidates.length > 1) problems.push(`${appCandidates.map((meta) => meta.file).join(', ')}: the project must have exactly one app component`);
  const byUid = new Map<string, string[]>();
  for (const meta of metaFiles) {
    const uid = isRecord(meta.json) ? meta.json['uid'] : undefined;
    if (typeof uid === 'string') byUid.set(uid, [...(byUid.get(uid) ?? []), meta.file]);
  }
  for (const [uid, files] of byUid) {
    if (files.length > 1) problems.push(`${files.join(', ')}: uid ${JSON.stringify(uid)} is used by more than one component`);
  }
  for (const singular of ['settings', 'webhooks'] as const) {
    const files = metaFiles.filter((meta) => isRecord(meta.json) && meta.json['type'] === singular).map((meta) => meta.file);
    if (files.length > 1) problems.push(`${files.join(', ')}: an app has at most one ${singular} component`);
  }

  // A package.json beside every React extension, naming what HubSpot's build needs.
  const extensionFolders = new Set(valid.filter((entry) => (entry.kind === 'card' || entry.kind === 'settings') && entry.meta.folder === kinds[entry.kind].folder).map((entry) => entry.meta.folder));
  for (const folder of extensionFolders) {
    problems.push(...(await packageProblems(projectDir, `${project.srcDir}/${folder}/package.json`)));
  }

  // Scopes the features need, and URLs under the API base.
  const app = apps[0]?.value as AppMeta | undefined;
  const appFile = apps[0]?.meta.file;
  if (app && appFile) {
    const scopes = new Set(app.config.auth.requiredScopes);
    const needScope = (file: string, field: string, what: string) => {
      const scope = readScopeFor[what];
      if (scope && !scopes.has(scope)) problems.push(`${file}: ${field} ${JSON.stringify(what)} needs ${scope} in ${appFile} config.auth.requiredScopes`);
    };
    for (const { meta, kind, value } of valid) {
      if (kind === 'card') (value as CardMeta).config.objectTypes.forEach((type, index) => needScope(meta.file, `config.objectTypes.${index}`, type));
      if (kind === 'webhooks') {
        const { crmObjects = [], hubEvents = [] } = (value as WebhooksMeta).config.subscriptions;
        crmObjects.forEach((entry, index) => needScope(meta.file, `config.subscriptions.crmObjects.${index}.objectType`, entry.objectType));
        hubEvents.forEach((entry, index) => needScope(meta.file, `config.subscriptions.hubEvents.${index}.subscriptionType`, entry.subscriptionType.split('.')[0] ?? ''));
      }
    }

    if (base) {
      const underBase = (file: string, field: string, url: string) => {
        if (!isUnder(url, base)) problems.push(`${file}: ${field} ${JSON.stringify(url)} must start with the API base URL ${apiBaseUrl}`);
      };
      app.config.permittedUrls?.fetch?.forEach((url, index) => underBase(appFile, `config.permittedUrls.fetch.${index}`, url));
      app.config.auth.redirectUrls?.forEach((url, index) => underBase(appFile, `config.auth.redirectUrls.${index}`, url));
    }
  }
  if (base) {
    for (const { meta, kind, value } of valid) {
      if (kind !== 'webhooks') continue;
      const { targetUrl } = (value as WebhooksMeta).config.settings;
      if (!isUnder(targetUrl, base)) problems.push(`${meta.file}: config.settings.targetUrl ${JSON.stringify(targetUrl)} must start with the API base URL ${apiBaseUrl}`);
    }
  }
  return problems;
}

/**
 * Every `config.entrypoint` (cards, settings page) whose file is missing, as sentences naming the
 * meta file; empty when all exist. Separate from `projectProblems` because the React files are
 * written by other people at other times.
 */
export async function missingEntrypoints(projectDir: string): Promise<string[]> {
  const problems: string[] = [];
  const project = await readProject(projectDir, problems);
  if (!project) return problems;
  const metaFiles = await readMetaFiles(projectDir, project.srcDir, problems);
  for (const meta of metaFiles) {
    const config = isRecord(meta.json) ? meta.json['config'] : undefined;
    const entrypoint = isRecord(config) ? config['entrypoint'] : undefined;
    if (typeof entrypoint !== 'string') continue;
    const target = path.join(projectDir, project.srcDir, entrypoint);
    if (!(await exists(target))) {
      problems.push(`${meta.file}: config.entrypoint ${JSON.stringify(entrypoint)} does not exist (looked for ${toPosix(path.relative(projectDir, target))})`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Helpers

async function readProject(projectDir: string, problems: string[]): Promise<HsProject | undefined> {
  const json = await readJson(path.join(projectDir, 'hsproject.json'), 'hsproject.json', problems);
  if (json === undefined) return undefined;
  const result = HsProject.safeParse(json, { reportInput: true });
  if (!result.success) {
    problems.push(...result.error.issues.map((issue) => describeIssue('hsproject.json', issue)));
    return undefined;
  }
  if (!(await exists(path.join(projectDir, result.data.srcDir)))) {
    problems.push(`hsproject.json: srcDir ${JSON.stringify(result.data.srcDir)} does not exist`);
    return undefined;
  }
  return result.data;
}

async function readMetaFiles(projectDir: string, srcDir: string, problems: string[]): Promise<MetaFile[]> {
  const root = path.join(projectDir, srcDir);
  const files = (await walk(root)).filter((file) => file.endsWith('-hsmeta.json')).sort();
  const metaFiles: MetaFile[] = [];
  for (const absolute of files) {
    const file = toPosix(path.relative(projectDir, absolute));
    const json = await readJson(absolute, file, problems);
    if (json !== undefined) metaFiles.push({ file, folder: toPosix(path.relative(root, path.dirname(absolute))), json });
  }
  return metaFiles;
}

/** Every file under `dir`, skipping node_modules (as HubSpot's parser does). */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
      return entry.isFile() ? [full] : [];
    }),
  );
  return nested.flat();
}

async function readJson(absolute: string, file: string, problems: string[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch {
    problems.push(`${file}: cannot be read`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push(`${file}: is not valid JSON (${(error as Error).message})`);
    return undefined;
  }
}

async function packageProblems(projectDir: string, file: string): Promise<string[]> {
  const problems: string[] = [];
  if (!(await exists(path.join(projectDir, file)))) return [`${file}: is missing (HubSpot builds each extension folder from its own package.json)`];
  const json = await readJson(path.join(projectDir, file), file, problems);
  if (json === undefined) return problems;
  const dependencies = isRecord(json) && isRecord(json['dependencies']) ? json['dependencies'] : {};
  for (const name of ['@hubspot/ui-extensions', 'react']) {
    if (typeof dependencies[name] !== 'string') problems.push(`${file}: dependencies must list ${name}`);
  }
  return problems;
}

function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  } else if (issue.input !== undefined && typeof issue.input !== 'object') {
    message += ` (got ${JSON.stringify(issue.input)})`;
  } else if (issue.input === undefined && issue.code === 'invalid_type') {
    message = 'is required';
  }
  return `${file}: ${field} ${message}`;
}

function isUnder(url: string, base: URL): boolean {
  const parsed = parseUrl(url);
  if (!parsed || parsed.origin !== base.origin) return false;
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return `${parsed.pathname}/`.startsWith(basePath);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const toPosix = (file: string) => file.split(path.sep).join('/');
