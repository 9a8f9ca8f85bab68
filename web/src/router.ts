import { createRouter, createWebHistory } from 'vue-router';
import { setUnauthenticatedHandler } from './api/client';
import { routeRecords } from './routes';
import { useSession } from './stores/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: routeRecords(),
  scrollBehavior: () => ({ top: 0 }),
});

// A page that needs a session sends the visitor to the login and back.
router.beforeEach((to) => {
  if (to.meta.auth && !useSession().loggedIn) {
    return { name: 'login', query: { redirect: to.fullPath } };
  }
  return true;
});

// Any 401 of the API (expired or closed session): back to the login,
// keeping the route.
setUnauthenticatedHandler(() => {
  useSession().forget();
  const here = router.currentRoute.value;
  if (here.name !== 'login') {
    void router.push({ name: 'login', query: { redirect: here.fullPath, expired: '1' } });
  }
});
