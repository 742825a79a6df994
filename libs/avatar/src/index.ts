// The public face of @showroom/avatar: what other libs and the apps use.
export { AvatarModule } from './avatar.module';
