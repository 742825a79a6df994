/** Roles inside a dealership, most powerful first. `platform` is for operators of the deployment. */
export const ROLES = ['platform', 'owner', 'admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a dealership can give its own users (platform accounts are made by operators). */
export const DEALERSHIP_ROLES = ['owner', 'admin', 'staff'] as const satisfies readonly Role[];
export type DealershipRole = (typeof DEALERSHIP_ROLES)[number];

/** Who may manage users, API keys and knowledge. */
export const ADMIN_ROLES: Role[] = ['owner', 'admin'];
