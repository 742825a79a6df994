// The config an app process builds: core's loadConfig over every domain's config section (what
// apps/api/src/main.ts and apps/worker/src/main.ts pass to runProcess), from a dist build.
// `requireFromDist(path)` loads a file of that build ("apps/api/libs/core/src/index.js").
const SECTIONS = [
  ['auth', 'authConfig'],
  ['files', 'filesConfig'],
  ['rag', 'ragConfig'],
  ['chat', 'chatConfig'],
  ['voice', 'voiceConfig'],
  ['avatar', 'avatarConfig'],
];

export function appConfig(requireFromDist, app, env) {
  const { loadConfig } = requireFromDist(`apps/${app}/libs/core/src/index.js`);
  const sections = SECTIONS.map(([lib, name]) => requireFromDist(`apps/${app}/libs/${lib}/src/index.js`)[name]).filter(Boolean);
  return loadConfig(env, sections);
}
