import { loadConfig } from '@showroom/core';
console.log(loadConfig().http.port);
