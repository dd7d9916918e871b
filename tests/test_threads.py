"""One loaded classifier, many threads: the same results as one thread (SPEC section 2)."""

import threading

from classifier import LineClassifier


def test_eight_threads_match_single_thread_results(model_dir, training_records, example_texts):
    clf = LineClassifier.load(model_dir)     # a fresh load, shared by all threads
    pages = [("\n".join(line["text"] for line in r["lines"])) for r in training_records]
    pages += list(example_texts.values())
    expected = [clf.label_text(text) for text in pages]

    n_threads = 8
    start = threading.Barrier(n_threads)
    results: dict[int, list] = {}
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            start.wait()
            # each thread takes its own share of pages, several rounds, in its own order,
            # mixing the single-page and the streaming entry points
            mine = list(range(k, len(pages), n_threads))
            for round_ in range(3):
                order = mine if round_ % 2 == 0 else mine[::-1]
                for i in order:
                    got = clf.label_text(pages[i])
                    if results.setdefault(i, got) != got:
                        raise AssertionError(f"page {i} changed between rounds")
                for i, got in clf.label_pages(((i, pages[i]) for i in order), batch_lines=50):
                    if results[i] != got:
                        raise AssertionError(f"page {i}: label_pages differs from label_text")
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == list(range(len(pages)))
    for i, labels in results.items():
        assert labels == expected[i], f"page {i} differs from the single-thread result"
