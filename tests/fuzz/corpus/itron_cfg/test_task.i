# 0 "test_task.cfg"
# 1 "test_task.cfg"
# 1 "test_task.h" 1
# 3 "test_task.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_task.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_task.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_task.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_task.cfg"
                                                                   });
CRE_TSK(TASK3, { 0U, 3, task3, 11, 4096U, 
# 6 "test_task.cfg" 3 4
                                                             ((void *)0) 
# 6 "test_task.cfg"
                                                                  });
CRE_SEM(SEM1, { 0x00U, 0, 1 });
