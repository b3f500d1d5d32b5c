import { Alert, AlertActionCloseButton, AlertGroup } from '@patternfly/react-core';
import { useCallback, useRef, useState } from 'react';

/** One toast. */
export interface Notification {
  variant: 'success' | 'danger' | 'warning' | 'info';
  title: string;
  body?: string;
}

/** Shows a toast. */
export type Notify = (notification: Notification) => void;

/** Toasts in the top right corner, each closing by itself after a few seconds. */
export function useNotifications(): { notify: Notify; toasts: React.ReactNode } {
  const [items, setItems] = useState<(Notification & { key: number })[]>([]);
  const next = useRef(0);
  const remove = useCallback((key: number) => {
    setItems((current) => current.filter((item) => item.key !== key));
  }, []);
  const notify = useCallback<Notify>((notification) => {
    next.current += 1;
    const key = next.current;
    setItems((current) => [...current, { ...notification, key }]);
  }, []);
  const toasts = (
    <AlertGroup isToast isLiveRegion>
      {items.map((item) => (
        <Alert
          key={item.key}
          variant={item.variant}
          title={item.title}
          timeout={8000}
          onTimeout={() => remove(item.key)}
          actionClose={<AlertActionCloseButton onClose={() => remove(item.key)} />}
          data-testid="toast"
        >
          {item.body}
        </Alert>
      ))}
    </AlertGroup>
  );
  return { notify, toasts };
}
