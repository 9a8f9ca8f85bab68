// A public page of one stage of a tender after its opening (the candidates,
// the award): the tender itself and the stage's own answer, which the server
// refuses with `notPublicCode` until the stage is public — not an error of
// the page, the stage simply is not out yet (`notYet`).
import { computed, onMounted, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { useRoute } from 'vue-router';
import { api, ApiError, must, useLoad, type Tender } from '@/api/client';

export interface TenderStage<T> {
  id: ComputedRef<string>;
  tender: Ref<Tender | null>;
  data: ShallowRef<T | null>;
  notYet: Ref<ApiError | null>;
  loading: Ref<boolean>;
  error: Ref<ApiError | null>;
  load: () => Promise<void>;
  // Whether the stage's publicity window is open now (its objection period).
  windowOpen: ComputedRef<boolean>;
}

export function useTenderStage<T>(
  read: (id: string) => Promise<T>,
  notPublicCode: string,
  stage: { status: string; window: 'candidate_publicity' | 'award_publicity' },
): TenderStage<T> {
  const route = useRoute();
  const id = computed(() => String(route.params.id));
  const tender = ref<Tender | null>(null);
  const data = shallowRef<T | null>(null);
  const notYet = ref<ApiError | null>(null);
  const { loading, error, load } = useLoad(async () => {
    data.value = null;
    notYet.value = null;
    tender.value = await must(api.GET('/tenders/{id}', { params: { path: { id: id.value } } }));
    try {
      data.value = await read(id.value);
    } catch (e) {
      if (e instanceof ApiError && e.code === notPublicCode) notYet.value = e;
      else throw e;
    }
  });
  watch(id, () => void load());
  onMounted(load);
  const windowOpen = computed(() => {
    const w = tender.value?.[stage.window];
    return tender.value?.status === stage.status && !!w?.ends_at && Date.parse(w.ends_at) > Date.now();
  });
  return { id, tender, data, notYet, loading, error, load, windowOpen };
}
