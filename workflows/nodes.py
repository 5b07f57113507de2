"""A parallel split with one branch per item of a data source, which viewflow 2.4's open-source Split lacks."""

from __future__ import annotations

from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation


class DataSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, condition, data_source in self.flow_task._branches:
            if condition and not condition(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, item) for item in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class DataSplit(flow.Split):
    """`.Next(node, data_source=fn)` creates one task per item returned by fn(activation), with task.data = item."""

    activation_class = DataSplitActivation

    def Next(self, node, case=None, data_source=None):  # noqa: N802 -- viewflow's naming
        self._activate_next.append((node, case, data_source))
        return self
