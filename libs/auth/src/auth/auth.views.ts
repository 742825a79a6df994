import type { Dealership } from '../entities/dealership.entity';
import type { User } from '../entities/user.entity';
import type { Role } from '../roles';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
}

export interface DealershipView {
  id: string;
  name: string;
}

export interface SessionView {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: UserView;
  dealership: DealershipView;
}

export function userView(user: User): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, active: user.active, createdAt: user.createdAt.toISOString() };
}

export function dealershipView(dealership: Dealership): DealershipView {
  return { id: dealership.id, name: dealership.name };
}
