"""The README's "Write your own property test" example runs and passes, exactly as printed."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"<!-- strategies-example -->\s*```python\n(.*?)```\s*<!-- /strategies-example -->", re.DOTALL)


def readme_example(path: Path = README) -> str:
    """The fenced python block between the strategies-example markers (exactly one)."""
    blocks = BLOCK.findall(path.read_text(encoding="utf-8"))
    assert len(blocks) == 1, (
        f"{path} must contain exactly one ```python block between "
        f"<!-- strategies-example --> and <!-- /strategies-example -->, "
        f"found {len(blocks)}"
    )
    return blocks[0]


def run_example(code: str) -> list[str]:
    """Exec the example as a module and call every ``test_*`` function it defines."""
    namespace: dict = {"__name__": "readme_strategies_example"}
    exec(compile(code, "README.md:strategies-example", "exec"), namespace)
    tests = sorted(name for name, obj in namespace.items() if name.startswith("test_") and callable(obj))
    assert tests, "the README example defines no test_* function"
    for name in tests:
        namespace[name]()
    return tests


def test_readme_strategies_example_passes():
    code = readme_example()
    assert "from grsd_sym.strategies import" in code
    ran = run_example(code)
    assert len(ran) >= 1
